import type { FileHandle } from 'node:fs/promises';
import { InvalidInputError, RangeNotSatisfiableError } from '../errors.js';
import { type LogLineIndex, logLineIndex } from './line-index.js';
import {
  LogLineClassifier,
  type LogLineContext,
  type LogLineLevel,
  type LogLineSource,
  type LogLineStdio,
  type PluginSources,
} from './meltano-log-line.js';
import { type LogSource, withLogHandle } from './open-log-file.js';
import { readAt } from './read-log.js';
import { LF } from './utf8.js';

/** Which lines to keep; an empty or missing list keeps every value of that field. */
export interface LogLineFilter {
  levels?: readonly LogLineLevel[];
  sources?: readonly LogLineSource[];
  /** A line whose stdio is unknown (Meltano's own, any v4 line) is dropped when this is set. */
  stdios?: readonly LogLineStdio[];
}

export interface FilterLogOptions {
  filter: LogLineFilter;
  plugins: PluginSources;
  /**
   * Backward (the default): the last `limit` matches among the whole lines that end before this
   * byte (default: the end of the file). Must be a line start, e.g. a previous answer's `start`.
   */
  before?: number;
  /** Forward instead: the first `limit` matches among the whole lines from this byte (a line start, e.g. a previous `end`). */
  after?: number;
  /** At most this many lines (default 500, at most 5000). */
  limit?: number;
  /** Bytes to read before answering with what was found (default 32 MiB); bounds the work per request. */
  maxScanBytes?: number;
  lineIndex?: LogLineIndex;
  /** Bytes per read (default 4 MiB); tests make it small to cross block edges. */
  blockBytes?: number;
}

export interface FilteredLogLine {
  /** 1-based number of the line in the whole file: links (#L) and "show in context" use it. */
  line: number;
  /** Byte offset where the line starts. */
  offset: number;
  text: string;
  level: LogLineLevel;
  source: LogLineSource;
  stdio: LogLineStdio | null;
}

export interface FilteredLog {
  /** Matching lines, in file order. */
  lines: FilteredLogLine[];
  /**
   * The scanned bytes: [start, end), both line starts. Older matches: pass `start` as `before`;
   * newer ones (a live log): pass `end` as `after`. An unfinished last line is left for later.
   */
  start: number;
  end: number;
  /** Every line before `start` (backward) or up to the last whole line (forward) was looked at. */
  complete: boolean;
  /** Bytes read by this call. */
  scanned: number;
  size: number;
}

export const DEFAULT_FILTER_LIMIT = 500;
export const MAX_FILTER_LIMIT = 5000;
const DEFAULT_MAX_SCAN = 32 * 1024 * 1024;
const BLOCK_BYTES = 4 * 1024 * 1024;
// How far above a block to look for the record its first (unprefixed) lines continue.
const SEED_BYTES = 64 * 1024;

/**
 * The lines of a log that pass a filter, with their line numbers in the whole file, read in 4 MiB
 * blocks from a byte offset towards the start (the default, as the viewer opens at the end) or the
 * end. Each call reads at most `maxScanBytes` (plus one block): a filter over a huge file with few
 * matches is a series of short requests, continued with `start`/`end`.
 */
export async function filterLog(file: LogSource, opts: FilterLogOptions): Promise<FilteredLog> {
  const limit = opts.limit ?? DEFAULT_FILTER_LIMIT;
  const maxScan = opts.maxScanBytes ?? DEFAULT_MAX_SCAN;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_FILTER_LIMIT) {
    throw new InvalidInputError(`limit must be 1 to ${MAX_FILTER_LIMIT}`, { limit });
  }
  if (!Number.isInteger(maxScan) || maxScan < 1) {
    throw new InvalidInputError('maxScanBytes must be a positive integer');
  }
  if (opts.before !== undefined && opts.after !== undefined) {
    throw new InvalidInputError('Give before or after, not both');
  }
  for (const [name, value] of [
    ['before', opts.before],
    ['after', opts.after],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) {
      throw new InvalidInputError(`${name} must be a non-negative integer`, { [name]: value });
    }
  }
  const lineIndex = opts.lineIndex ?? logLineIndex;
  const keep = matcher(opts.filter);
  return withLogHandle(file, async (handle) => {
    const size = (await handle.stat()).size;
    const from = opts.after ?? opts.before ?? size;
    if (from > size) throw new RangeNotSatisfiableError(size);
    const block = opts.blockBytes ?? BLOCK_BYTES;
    const scan: Scan = { handle, size, keep, plugins: opts.plugins, lineIndex, limit, maxScan, block };
    return opts.after === undefined ? scanBackward(scan, from) : scanForward(scan, from);
  });
}

interface Scan {
  handle: FileHandle;
  size: number;
  keep: (context: LogLineContext) => boolean;
  plugins: PluginSources;
  lineIndex: LogLineIndex;
  limit: number;
  maxScan: number;
  block: number;
}

function matcher(filter: LogLineFilter): (context: LogLineContext) => boolean {
  const levels = filter.levels?.length ? new Set(filter.levels) : null;
  const sources = filter.sources?.length ? new Set(filter.sources) : null;
  const stdios = filter.stdios?.length ? new Set(filter.stdios) : null;
  return (c) =>
    (levels === null || levels.has(c.level)) &&
    (sources === null || sources.has(c.source)) &&
    (stdios === null || (c.stdio !== null && stdios.has(c.stdio)));
}

/** Classifies the whole lines of `buffer` (which starts at file offset `at`, on a line start). */
async function matchesIn(scan: Scan, buffer: Buffer, at: number): Promise<FilteredLogLine[]> {
  const classifier = new LogLineClassifier(scan.plugins);
  if (at > 0) await seed(scan, classifier, at);
  let line = await scan.lineIndex.lineAt(scan.handle, at);
  const found: FilteredLogLine[] = [];
  let start = 0;
  for (let lf = buffer.indexOf(LF); lf !== -1; lf = buffer.indexOf(LF, start)) {
    const text = buffer.toString('utf8', start, lf);
    const context = classifier.next(text);
    if (scan.keep(context)) {
      found.push({
        line,
        offset: at + start,
        text,
        level: context.level,
        source: context.source,
        stdio: context.stdio,
      });
    }
    line += 1;
    start = lf + 1;
  }
  return found;
}

/** Gives the classifier the nearest prefixed line above `at`, so continuation lines get its context. */
async function seed(scan: Scan, classifier: LogLineClassifier, at: number): Promise<void> {
  const from = Math.max(0, at - SEED_BYTES);
  const lines = (await readAt(scan.handle, from, at - from)).toString('utf8').split('\n');
  lines.pop(); // `at` is a line start: what follows the last newline is empty
  if (from > 0) lines.shift(); // cut by the window
  for (const line of lines) classifier.next(line);
}

async function scanBackward(scan: Scan, before: number): Promise<FilteredLog> {
  const { handle, size } = scan;
  // Only whole lines: a `before` at the end of a file still being written drops its unfinished line.
  const tail = await readAt(handle, Math.max(0, before - scan.block), Math.min(before, scan.block));
  const lastLf = tail.lastIndexOf(LF);
  const end = lastLf === -1 ? Math.max(0, before - tail.length) : before - tail.length + lastLf + 1;
  let position = end;
  let scanned = 0;
  let lines: FilteredLogLine[] = [];
  while (position > 0 && lines.length < scan.limit && scanned < scan.maxScan) {
    const blockStart = Math.max(0, position - scan.block);
    const buffer = await readAt(handle, blockStart, position - blockStart);
    scanned += buffer.length;
    // The block starts at the first line start in it (a line longer than a block is skipped whole).
    const skip = blockStart === 0 ? 0 : buffer.indexOf(LF) + 1;
    const lineStart = skip === 0 && blockStart > 0 ? buffer.length : skip;
    const found = await matchesIn(scan, buffer.subarray(lineStart), blockStart + lineStart);
    lines = found.slice(Math.max(0, found.length - (scan.limit - lines.length))).concat(lines);
    if (lines.length >= scan.limit) {
      // Stopped inside this block: older matches start before the first line returned.
      position = lines[0]?.offset ?? blockStart + lineStart;
      break;
    }
    position = blockStart + lineStart;
  }
  return { lines, start: position, end, complete: position === 0, scanned, size };
}

async function scanForward(scan: Scan, after: number): Promise<FilteredLog> {
  const { handle, size } = scan;
  let position = after;
  let scanned = 0;
  const lines: FilteredLogLine[] = [];
  let complete = false;
  while (!complete && lines.length < scan.limit && scanned < scan.maxScan) {
    const buffer = await readAt(handle, position, Math.min(scan.block, size - position));
    scanned += buffer.length;
    const lastLf = buffer.lastIndexOf(LF);
    // Nothing whole left: the end, or only the unfinished line being written.
    complete = lastLf === -1;
    if (complete) break;
    const found = await matchesIn(scan, buffer.subarray(0, lastLf + 1), position);
    const room = scan.limit - lines.length;
    lines.push(...found.slice(0, room));
    if (found.length > room) {
      position = found[room]?.offset ?? position + lastLf + 1;
      break;
    }
    position += lastLf + 1;
    complete = position >= size;
  }
  return { lines, start: after, end: position, complete, scanned, size };
}
