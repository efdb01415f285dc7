import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import type { PluginSources } from '../logs/meltano-log-line.js';
import { type LogSource, withLogHandle } from '../logs/open-log-file.js';
import { readInto } from '../logs/read-log.js';
import { LF } from '../logs/utf8.js';
import { parseMetricLine } from './metric-line.js';
import type { RunMetrics } from './run-metrics.types.js';
import {
  RUN_METRICS_FORMAT,
  RunMetricsAggregator,
  type RunMetricsAggregatorState,
} from './run-metrics-aggregator.js';

/**
 * Where reading a log stopped, and what it had added up to there: resume from it and only the bytes
 * after `offset` are read. Plain JSON, stored with the run.
 */
export interface RunMetricsProgress {
  /** Bytes consumed; every line before this is in `aggregate`. */
  offset: number;
  /** True while `offset` is inside an over-long line being skipped (see MAX_LINE_BYTES). */
  in_long_line: boolean;
  /** A hash of the file's first bytes: a file replaced by another one (rotation) starts over. */
  head: { length: number; sha1: string } | null;
  aggregate: RunMetricsAggregatorState;
}

export interface ReadRunMetricsOptions {
  /** Where an earlier read stopped; omitted, the log is read from the start. */
  progress?: RunMetricsProgress | null;
  /** Plugin name → role, from the project: v4 logs name a plugin without saying its type. */
  plugins?: PluginSources;
  /** Bytes per read (memory held). Default 1 MiB. */
  chunkBytes?: number;
  /**
   * The writer is done: a last line without its newline is counted (and consumed). Otherwise it is
   * left for the next read, as a running run may be half-way through writing it.
   */
  complete?: boolean;
  /** Awaited between chunks (a background reader yields or sleeps there). */
  between?: (chunkMs: number) => Promise<void>;
  /** Stops between chunks; the answer holds the progress so far, safe to resume from. */
  signal?: AbortSignal;
}

export interface RunMetricsRead {
  progress: RunMetricsProgress;
  metrics: RunMetrics;
  /** The file size when read. */
  size: number;
  /** Bytes read from the file by this call, the head check included. */
  bytesRead: number;
  /** Reads made (each at most `chunkBytes`). */
  reads: number;
  /** The saved progress did not fit the file (smaller, or another file): read from the start. */
  restarted: boolean;
  /** Stopped by `signal` before the end. */
  stopped: boolean;
}

const DEFAULT_CHUNK_BYTES = 1024 * 1024;
const MIN_CHUNK_BYTES = 64;
const HEAD_BYTES = 256;
const MARKER = Buffer.from('METRIC');
const CR = 0x0d;

/**
 * Adds up the METRIC lines of a log from where `progress` stopped to the end, in bounded chunks:
 * a growing log (a running run) is read only past what was read before, and a 200 MiB one once.
 * Only lines holding `METRIC` are decoded; the rest are skipped at byte level.
 *
 * A log smaller than the saved offset, or whose first bytes changed, was truncated or replaced:
 * it is read again from the start (`restarted`).
 */
export async function readRunMetrics(
  file: LogSource,
  opts: ReadRunMetricsOptions = {},
): Promise<RunMetricsRead> {
  const chunkBytes = Math.max(MIN_CHUNK_BYTES, opts.chunkBytes ?? DEFAULT_CHUNK_BYTES);
  const plugins = opts.plugins ?? new Map();
  return withLogHandle(file, async (handle) => {
    const { size } = await handle.stat();
    const counters = { bytesRead: 0, reads: 0 };
    const saved = usable(opts.progress);
    let restarted = opts.progress != null && saved === null;
    let progress = saved;
    if (progress !== null && !(await fits(handle, progress, size, counters))) {
      progress = null;
      restarted = true;
    }
    const head = await headOf(handle, size, progress?.head ?? null, counters);
    const aggregator = new RunMetricsAggregator(progress?.aggregate);
    let offset = progress?.offset ?? 0;
    let inLongLine = progress?.in_long_line ?? false;
    let stopped = false;
    const buffer = Buffer.allocUnsafe(chunkBytes);
    // Bytes at the start of `buffer` already read: the start of a line the last chunk cut.
    let carry = 0;

    while (offset + carry < size) {
      if (opts.signal?.aborted) {
        stopped = true;
        break;
      }
      const started = performance.now();
      const want = Math.min(chunkBytes - carry, size - offset - carry);
      const got = await readInto(handle, buffer.subarray(carry, carry + want), offset + carry);
      counters.bytesRead += got.length;
      counters.reads += 1;
      if (got.length === 0) break; // truncated meanwhile: the next read notices and starts over
      const filled = carry + got.length;
      const view = buffer.subarray(0, filled);
      const atEnd = offset + filled >= size || got.length < want;
      let from = 0;
      if (inLongLine) {
        const newline = view.indexOf(LF);
        if (newline === -1) {
          offset += filled;
          carry = 0;
          continue;
        }
        from = newline + 1;
        inLongLine = false;
      }
      let end = Math.max(from, view.lastIndexOf(LF) + 1);
      if (atEnd && opts.complete) end = filled;
      addLines(view, from, end, plugins, aggregator);
      if (atEnd) {
        // A last line without its newline stays unconsumed: the writer may be half-way through it.
        offset += end;
        break;
      }
      if (end === 0) {
        // One line fills the whole buffer. A METRIC line is a few hundred bytes, so this is a record
        // dump or the like: skipped up to its newline, keeping memory at one chunk.
        offset += filled;
        carry = 0;
        inLongLine = true;
      } else {
        buffer.copyWithin(0, end, filled);
        offset += end;
        carry = filled - end;
      }
      if (opts.between) await opts.between(performance.now() - started);
    }

    const next: RunMetricsProgress = {
      offset,
      in_long_line: inLongLine,
      head,
      aggregate: aggregator.state(),
    };
    return {
      progress: next,
      metrics: aggregator.result(),
      size,
      bytesRead: counters.bytesRead,
      reads: counters.reads,
      restarted,
      stopped,
    };
  });
}

/** Feeds every line of `chunk[from, end)` that holds `METRIC` to the aggregator. */
function addLines(
  chunk: Buffer,
  from: number,
  end: number,
  plugins: PluginSources,
  aggregator: RunMetricsAggregator,
): void {
  let at = chunk.indexOf(MARKER, from);
  while (at !== -1 && at < end) {
    const start = at === 0 ? 0 : chunk.lastIndexOf(LF, at - 1) + 1;
    const newline = chunk.indexOf(LF, at);
    let stop = newline === -1 || newline >= end ? end : newline;
    const next = stop + 1;
    if (stop > start && chunk[stop - 1] === CR) stop -= 1;
    const line = parseMetricLine(chunk.toString('utf8', Math.max(start, from), stop), plugins);
    if (line) aggregator.add(line);
    at = next >= end ? -1 : chunk.indexOf(MARKER, next);
  }
}

function usable(progress: RunMetricsProgress | null | undefined): RunMetricsProgress | null {
  if (!progress || progress.aggregate?.format !== RUN_METRICS_FORMAT) return null;
  return Number.isSafeInteger(progress.offset) && progress.offset >= 0 ? progress : null;
}

/** The saved progress still describes this file: not shorter, and the same first bytes. */
async function fits(
  handle: FileHandle,
  progress: RunMetricsProgress,
  size: number,
  counters: { bytesRead: number; reads: number },
): Promise<boolean> {
  if (size < progress.offset) return false;
  if (progress.head === null) return progress.offset === 0;
  if (size < progress.head.length) return false;
  return (await hashHead(handle, progress.head.length, counters)) === progress.head.sha1;
}

/** The head fingerprint to keep: the saved one while it is full-length, else one of the bytes now there. */
async function headOf(
  handle: FileHandle,
  size: number,
  saved: RunMetricsProgress['head'],
  counters: { bytesRead: number; reads: number },
): Promise<RunMetricsProgress['head']> {
  const length = Math.min(size, HEAD_BYTES);
  if (saved !== null && saved.length >= length) return saved;
  if (length === 0) return null;
  return { length, sha1: await hashHead(handle, length, counters) };
}

async function hashHead(
  handle: FileHandle,
  length: number,
  counters: { bytesRead: number; reads: number },
): Promise<string> {
  const head = await readInto(handle, Buffer.allocUnsafe(length), 0);
  counters.bytesRead += head.length;
  counters.reads += 1;
  return createHash('sha1').update(head).digest('hex');
}
