import type { FileHandle } from 'node:fs/promises';
import { InvalidInputError, LineOutOfRangeError, RangeNotSatisfiableError } from '../errors.js';
import { type LogLineIndex, logLineIndex } from './line-index.js';
import { type LogSource, withLogHandle } from './open-log-file.js';
import { readAt } from './read-log.js';
import { charStartAtOrAfter, charStartAtOrBefore, completeEnd, LF } from './utf8.js';

/** `text`: a case-insensitive plain-text query. `errors`: the markers of a Meltano failure. */
export type LogSearchKind = 'text' | 'errors';
export type LogSearchDirection = 'forward' | 'backward';

export interface LogSearchOptions {
  kind: LogSearchKind;
  /** The text to find (`text` only): 1 to 500 characters, no line breaks. */
  query?: string;
  direction: LogSearchDirection;
  /**
   * Forward: the first match starting at or after this byte (default 0). Backward: the last match
   * starting before it (default: the end of the file). Pass `resume_from` back here to go on.
   */
  from?: number;
  /** Search from where this 1-based line starts instead of `from`; past the last line, from the end. */
  fromLine?: number;
  /** Bytes to read before giving up for this call (default 32 MiB); bounds the work per request. */
  maxScanBytes?: number;
  lineIndex?: LogLineIndex;
}

export interface LogMatch {
  /** Byte offset of the match in the file. */
  offset: number;
  /** 1-based number of the line holding it. */
  line: number;
  /** Byte offset where that line starts. */
  line_offset: number;
  /**
   * Where the match starts in the line's text, in UTF-16 code units (a JavaScript string index), or
   * null in a line of more than 4 MiB.
   */
  column: number | null;
  /** Length of the matched text in UTF-16 code units. */
  match_length: number;
}

export interface LogSearchResult {
  /** Where this call started (`from`, or `fromLine`'s start, moved to a character boundary). */
  from: number;
  match: LogMatch | null;
  /**
   * With no match: null when the whole file in that direction was searched, else the `from` to
   * continue with (the scan stopped at its byte budget).
   */
  resume_from: number | null;
  /** Bytes read by this call. */
  scanned: number;
  /** The file size when the search started. */
  size: number;
}

export const MAX_QUERY_LENGTH = 500;
export const DEFAULT_MAX_SCAN_BYTES = 32 * 1024 * 1024;
const BLOCK_BYTES = 4 * 1024 * 1024;
// A match in a line longer than this (that began before the match's block) gets no column.
const MAX_LINE_BYTES = 4 * 1024 * 1024;

// What Meltano and the Python programs it runs write when something fails: structlog's level
// column (`[error    ]`, `[critical ]`), stdlib logging's ` ERROR ` / `CRITICAL`, and tracebacks.
const ERROR_MARKERS = /\[error|\[critical|Traceback \(most recent call last\)| ERROR |CRITICAL/g;
const ERROR_MARKER_MAX_BYTES = 35;

/**
 * Finds the next (or previous) match in a log by streaming through it in 4 MiB blocks from a byte
 * offset, never holding more than two blocks. Each call reads at most `maxScanBytes` (plus one
 * block), so a search through a huge file is a series of short requests that the caller continues
 * with `resume_from`, and can stop at any time. Matches never span lines (a query has no line break).
 */
export async function searchLog(file: LogSource, opts: LogSearchOptions): Promise<LogSearchResult> {
  const pattern = searchPattern(opts);
  const maxScan = opts.maxScanBytes ?? DEFAULT_MAX_SCAN_BYTES;
  if (!Number.isInteger(maxScan) || maxScan < 1) {
    throw new InvalidInputError('maxScanBytes must be a positive integer', { maxScanBytes: maxScan });
  }
  if (opts.from !== undefined && (!Number.isInteger(opts.from) || opts.from < 0)) {
    throw new InvalidInputError('from must be a non-negative integer', { from: opts.from });
  }
  if (opts.fromLine !== undefined && opts.from !== undefined) {
    throw new InvalidInputError('Give from or fromLine, not both');
  }
  const lineIndex = opts.lineIndex ?? logLineIndex;
  // One handle for the scan and the line lookups: a path is opened once, a handle is read through.
  return withLogHandle(file, async (handle) => {
    const fromLine =
      opts.fromLine === undefined ? undefined : await lineStartOrEnd(lineIndex, handle, opts.fromLine);
    const size = (await handle.stat()).size;
    const from =
      opts.from ??
      (fromLine === undefined ? (opts.direction === 'forward' ? 0 : size) : Math.min(fromLine, size));
    if (from > size) throw new RangeNotSatisfiableError(size);
    const scan = { handle, size, pattern, maxScan };
    // A start inside a character moves to its end (forward) or its start (backward).
    const start = await alignToCharacter(handle, from, opts.direction);
    const { found, resume, scanned } =
      opts.direction === 'forward' ? await scanForward(scan, start) : await scanBackward(scan, start);
    if (found === null) return { from: start, match: null, resume_from: resume, scanned, size };
    const line = await lineIndex.lineAt(handle, found.offset);
    const inBlock = found.lineStartInBlock !== null;
    const lineOffset = inBlock
      ? found.blockStart + (found.lineStartInBlock ?? 0)
      : await lineIndex.lineStart(handle, line);
    // A line that began before the block: its first part is decoded only when it is of sane length.
    const column = inBlock
      ? found.columnInBlock
      : found.blockStart - lineOffset > MAX_LINE_BYTES
        ? null
        : (await readAt(handle, lineOffset, found.blockStart - lineOffset)).toString('utf8').length +
          found.columnInBlock;
    return {
      from: start,
      match: { offset: found.offset, line, line_offset: lineOffset, column, match_length: found.length },
      resume_from: null,
      scanned,
      size,
    };
  });
}

/** Where a line starts, or Infinity past the last line (the caller clamps it to the file size). */
async function lineStartOrEnd(lineIndex: LogLineIndex, file: FileHandle, line: number): Promise<number> {
  try {
    return await lineIndex.lineStart(file, line);
  } catch (err) {
    if (err instanceof LineOutOfRangeError) return Number.POSITIVE_INFINITY;
    throw err;
  }
}

/** A start inside a character moves to that character's end (forward) or its start (backward). */
async function alignToCharacter(handle: FileHandle, from: number, direction: LogSearchDirection) {
  if (direction === 'forward') return from + charStartAtOrAfter(await readAt(handle, from, 3), 0, 3);
  const behind = Math.min(3, from);
  const window = await readAt(handle, from - behind, behind + 1);
  return from - behind + charStartAtOrBefore(window, behind, 0);
}

interface Pattern {
  regex: RegExp;
  /** The most bytes a match can span: blocks overlap by this much so no match is cut in two. */
  maxBytes: number;
}

interface Scan {
  handle: FileHandle;
  size: number;
  pattern: Pattern;
  maxScan: number;
}

interface Found {
  offset: number;
  length: number;
  /** File offset of the first decoded byte of the block the match was found in. */
  blockStart: number;
  /** Byte index in that block where the match's line starts; null when it starts before the block. */
  lineStartInBlock: number | null;
  /** UTF-16 index of the match from the line start, or from the block start when that is null. */
  columnInBlock: number;
}

function searchPattern(opts: LogSearchOptions): Pattern {
  if (opts.kind === 'errors') {
    if (opts.query !== undefined) throw new InvalidInputError('An error search takes no query');
    return { regex: new RegExp(ERROR_MARKERS.source, 'g'), maxBytes: ERROR_MARKER_MAX_BYTES };
  }
  const query = opts.query;
  if (typeof query !== 'string' || query.length === 0 || query.length > MAX_QUERY_LENGTH) {
    throw new InvalidInputError(`The query must be 1 to ${MAX_QUERY_LENGTH} characters long`);
  }
  if (/[\r\n]/.test(query)) throw new InvalidInputError('The query cannot contain a line break');
  const escaped = query.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  // Case folding may pair a 1-unit character with a 3-byte one (k and the Kelvin sign): 4 bytes
  // per UTF-16 unit covers every pairing.
  return { regex: new RegExp(escaped, 'giu'), maxBytes: query.length * 4 };
}

async function scanForward(scan: Scan, from: number) {
  const { handle, size, pattern, maxScan } = scan;
  let position = from;
  let scanned = 0;
  while (position < size) {
    if (scanned >= maxScan) return { found: null, resume: position, scanned };
    const buffer = await readAt(handle, position, Math.min(BLOCK_BYTES, size - position));
    if (buffer.length === 0) break;
    scanned += buffer.length;
    const atEnd = position + buffer.length >= size;
    const end = atEnd ? buffer.length : completeEnd(buffer, 0, buffer.length);
    const text = buffer.toString('utf8', 0, end);
    pattern.regex.lastIndex = 0;
    const match = pattern.regex.exec(text);
    if (match) return { found: locate(buffer, position, text, match), resume: null, scanned };
    if (atEnd) break;
    // Step back by the longest possible match so one that crosses the block end is seen whole next time.
    const next = charStartAtOrBefore(buffer, Math.max(1, end - pattern.maxBytes), 0);
    position += Math.max(1, next);
  }
  return { found: null, resume: null, scanned };
}

async function scanBackward(scan: Scan, from: number) {
  const { handle, size, pattern, maxScan } = scan;
  let position = from;
  let scanned = 0;
  while (position > 0) {
    if (scanned >= maxScan) return { found: null, resume: position, scanned };
    const blockStart = Math.max(0, position - BLOCK_BYTES);
    // Read past `position` so a match that starts before it is seen to its end.
    const buffer = await readAt(handle, blockStart, Math.min(size, position + pattern.maxBytes) - blockStart);
    scanned += buffer.length;
    const headEnd = position - blockStart;
    const start = blockStart === 0 ? 0 : charStartAtOrAfter(buffer, 0, headEnd);
    const head = buffer.toString('utf8', start, headEnd);
    const tailEnd =
      position + pattern.maxBytes >= size ? buffer.length : completeEnd(buffer, headEnd, buffer.length);
    const text = head + buffer.toString('utf8', headEnd, tailEnd);
    let last: RegExpExecArray | null = null;
    pattern.regex.lastIndex = 0;
    for (
      let m = pattern.regex.exec(text);
      m !== null && m.index < head.length;
      m = pattern.regex.exec(text)
    ) {
      last = m;
    }
    if (last) {
      const sub = buffer.subarray(start);
      return { found: locate(sub, blockStart + start, text, last), resume: null, scanned };
    }
    position = blockStart + start;
  }
  return { found: null, resume: null, scanned };
}

/** Byte offset and line start of `match`, found in `text` decoded from `buffer` (at `blockStart`). */
function locate(buffer: Buffer, blockStart: number, text: string, match: RegExpExecArray): Found {
  const lineStartInText = text.lastIndexOf('\n', match.index - 1) + 1;
  // Count the line breaks before the line in the text, then find as many in the bytes: the byte
  // offset stays exact even when invalid UTF-8 earlier in the block decoded to U+FFFD.
  let lineStartInBlock: number | null = null;
  if (lineStartInText > 0) {
    let breaks = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < lineStartInText; i = text.indexOf('\n', i + 1))
      breaks += 1;
    let at = -1;
    for (let n = 0; n < breaks; n += 1) at = buffer.indexOf(LF, at + 1);
    lineStartInBlock = at + 1;
  } else if (blockStart === 0) {
    lineStartInBlock = 0;
  }
  const columnInBlock = match.index - lineStartInText;
  const lineStartBytes = lineStartInBlock ?? 0;
  const offset = blockStart + lineStartBytes + Buffer.byteLength(text.slice(lineStartInText, match.index));
  return { offset, length: match[0].length, blockStart, lineStartInBlock, columnInBlock };
}
