import type { FileHandle } from 'node:fs/promises';
import { InvalidInputError, RangeNotSatisfiableError } from '../errors.js';
import { type LogSource, withLogHandle } from './open-log-file.js';
import { charStartAtOrAfter, charStartAtOrBefore, completeEnd, LF } from './utf8.js';

/** A piece of a log. `offset`/`length` are the bytes `text` came from; `size` is the file size then. */
export interface LogChunk {
  offset: number;
  length: number;
  size: number;
  text: string;
  /** The chunk reaches the end of the file as it was when read. */
  eof: boolean;
}

export interface ReadLogChunkOptions {
  /** First byte to read (forward read). Default 0. Cannot be combined with `fromEnd`/`end`. */
  offset?: number;
  /** Bytes to read: default 256 KiB, at most 4 MiB (larger values are capped), at least 4. */
  length?: number;
  /** Read backwards so that the chunk ends at EOF (or at `end`). */
  fromEnd?: boolean;
  /** Read backwards so that the chunk ends at this byte (exclusive): how "load older" pages up. */
  end?: number;
}

export const DEFAULT_CHUNK_LENGTH = 256 * 1024;
export const MAX_CHUNK_LENGTH = 4 * 1024 * 1024;
// A chunk must be able to hold one whole character, or a 1-byte read at a lead byte would stall.
const MIN_CHUNK_LENGTH = 4;
// A tail is read backwards from the end in blocks of this size: 1,000 lines of a Meltano log
// (100-250 bytes each) come in one read.
export const TAIL_BLOCK = 256 * 1024;
const DEFAULT_TAIL_MAX_BYTES = 16 * 1024 * 1024;
const MAX_TAIL_LINES = 100_000;

/**
 * Reads one chunk of a log with a single positioned read, never the whole file.
 *
 * Forward (`offset`): starts at `offset`, moved back to the start of the character it falls in, and
 * ends before any character the length would cut. Backward (`fromEnd`/`end`): ends at EOF or `end`
 * (moved back to a character boundary) and starts at the first line start inside the window; when
 * the window holds no line start (a line longer than `length`) it starts at the first character
 * boundary instead, so paging up never stalls. The returned `offset`/`length` are the real ones.
 *
 * At EOF a cut-short character (a writer mid-flush) is left out unless it is all that is left.
 * `offset`/`end` past the file size throw RangeNotSatisfiableError; negative, fractional or NaN
 * values throw InvalidInputError.
 */
export async function readLogChunk(file: LogSource, opts: ReadLogChunkOptions = {}): Promise<LogChunk> {
  const length = chunkLength(opts.length);
  if (opts.offset !== undefined) assertByteIndex('offset', opts.offset);
  if (opts.end !== undefined) assertByteIndex('end', opts.end);
  const backwards = opts.fromEnd === true || opts.end !== undefined;
  if (backwards && opts.offset !== undefined) {
    throw new InvalidInputError('offset cannot be combined with fromEnd or end');
  }

  return withLogHandle(file, async (handle) => {
    const { size } = await handle.stat();
    const position = backwards ? (opts.end ?? size) : (opts.offset ?? 0);
    if (position > size) throw new RangeNotSatisfiableError(size);
    return backwards
      ? await readBackwards(handle, size, position, length)
      : await readForwards(handle, size, position, length);
  });
}

/**
 * The last `lines` lines (1..100,000), found by reading backwards in 64 KiB blocks, so the cost is
 * the bytes returned plus at most one block. A final newline ends the last line rather than adding
 * an empty one; `\r\n` endings stay in the text. When the lines would exceed `maxBytes` (default
 * 16 MiB), fewer lines are returned, starting at the first line start within the last `maxBytes`.
 */
export async function readLogTail(
  file: LogSource,
  opts: { lines: number; maxBytes?: number },
): Promise<LogChunk & { lines: number }> {
  const { lines } = opts;
  if (!Number.isInteger(lines) || lines < 1 || lines > MAX_TAIL_LINES) {
    throw new InvalidInputError(`lines must be an integer from 1 to ${MAX_TAIL_LINES}`, { lines });
  }
  const maxBytes = opts.maxBytes ?? DEFAULT_TAIL_MAX_BYTES;
  if (!Number.isInteger(maxBytes) || maxBytes < MIN_CHUNK_LENGTH) {
    throw new InvalidInputError(`maxBytes must be an integer of at least ${MIN_CHUNK_LENGTH}`, { maxBytes });
  }

  return withLogHandle(file, async (handle) => {
    const { size } = await handle.stat();
    const limit = Math.max(0, size - maxBytes);
    // One byte before the limit tells whether the limit itself is a line start.
    const lowest = Math.max(0, limit - 1);
    const blocks: Buffer[] = [];
    let position = size;
    let newlines = 0;
    let start: number | null = null;
    let earliestNewline: number | null = null;
    while (start === null && position > lowest) {
      const blockStart = Math.max(lowest, position - TAIL_BLOCK);
      const block = await readAt(handle, blockStart, position - blockStart);
      blocks.push(block);
      for (let i = block.lastIndexOf(LF); i !== -1; i = i === 0 ? -1 : block.lastIndexOf(LF, i - 1)) {
        const at = blockStart + i;
        if (at === size - 1) continue;
        newlines += 1;
        earliestNewline = at;
        if (newlines === lines) {
          start = at + 1;
          break;
        }
      }
      position = blockStart;
    }

    const window = Buffer.concat(blocks.reverse());
    if (start === null) {
      if (limit === 0) start = 0;
      else if (earliestNewline !== null) start = earliestNewline + 1;
      else start = position + charStartAtOrAfter(window, limit - position, window.length);
    }
    const from = start - position;
    const to = completeEndAtEof(window, from, window.length);
    const text = window.toString('utf8', from, to);
    return { ...chunk(start, to - from, size, text), lines: countLines(window, from, to) };
  });
}

async function readForwards(
  handle: FileHandle,
  size: number,
  offset: number,
  length: number,
): Promise<LogChunk> {
  // Up to 3 bytes before `offset` let us find the start of a character that `offset` falls inside.
  const behind = Math.min(3, offset);
  const windowStart = offset - behind;
  const window = await readAt(handle, windowStart, Math.min(size, offset + length) - windowStart);
  if (window.length <= behind) return chunk(offset, 0, size, '');

  const from = charStartAtOrBefore(window, behind, 0);
  const windowEnd = windowStart + window.length;
  const to =
    windowEnd >= size
      ? completeEndAtEof(window, from, window.length)
      : completeEnd(window, from, window.length);
  return chunk(windowStart + from, to - from, size, window.toString('utf8', from, to));
}

async function readBackwards(
  handle: FileHandle,
  size: number,
  end: number,
  length: number,
): Promise<LogChunk> {
  const begin = Math.max(0, end - length);
  // One byte before `begin` tells whether `begin` is a line start; one byte at `end` tells
  // whether `end` cuts a character.
  const windowStart = Math.max(0, begin - 1);
  const window = await readAt(handle, windowStart, Math.min(size, end + 1) - windowStart);

  let to = Math.min(end - windowStart, window.length);
  if (end < size && to < window.length) to = charStartAtOrBefore(window, to, begin - windowStart);
  else to = completeEndAtEof(window, begin - windowStart, to);

  let from = begin - windowStart;
  if (begin > 0 && window[from - 1] !== LF) {
    const newline = window.indexOf(LF, from);
    from = newline !== -1 && newline + 1 < to ? newline + 1 : charStartAtOrAfter(window, from, to);
  }
  if (from > to) from = to;
  return chunk(windowStart + from, to - from, size, window.toString('utf8', from, to));
}

/** Reads exactly `length` bytes at `position`, fewer only if the file ends (or shrank) first. */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  return readInto(handle, Buffer.allocUnsafe(Math.max(0, length)), position);
}

/** Fills `buffer` from byte `position` on; the part filled (shorter at EOF). */
export async function readInto(handle: FileHandle, buffer: Buffer, position: number): Promise<Buffer> {
  let filled = 0;
  while (filled < buffer.length) {
    const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return filled === buffer.length ? buffer : buffer.subarray(0, filled);
}

/** At EOF, leave out a cut-short last character, unless that would leave nothing to return. */
function completeEndAtEof(buf: Uint8Array, start: number, end: number): number {
  const complete = completeEnd(buf, start, end);
  return complete === start ? end : complete;
}

function chunk(offset: number, length: number, size: number, text: string): LogChunk {
  return { offset, length, size, text, eof: offset + length >= size };
}

function countLines(buf: Buffer, from: number, to: number): number {
  if (to <= from) return 0;
  let lines = 1;
  for (let i = buf.indexOf(LF, from); i !== -1 && i < to - 1; i = buf.indexOf(LF, i + 1)) lines += 1;
  return lines;
}

function chunkLength(length: number | undefined): number {
  if (length === undefined) return DEFAULT_CHUNK_LENGTH;
  if (!Number.isInteger(length) || length < 0) {
    throw new InvalidInputError('length must be a non-negative integer', { length });
  }
  return Math.min(MAX_CHUNK_LENGTH, Math.max(MIN_CHUNK_LENGTH, length));
}

function assertByteIndex(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new InvalidInputError(`${name} must be a non-negative integer`, { [name]: value });
  }
}
