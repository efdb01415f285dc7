import { type LogLineIndex, logLineIndex } from '../logs/line-index.js';
import { type LogSource, withLogHandle } from '../logs/open-log-file.js';
import { readAt } from '../logs/read-log.js';
import { LF } from '../logs/utf8.js';
import { type FailureCause, type FindFailureCauseOptions, findFailureCause } from './failure-cause.js';

export interface ReadFailureCauseOptions extends FindFailureCauseOptions {
  /** The tail read first. Default 256 KiB. */
  tailBytes?: number;
  /** How far back the tail may grow (×4 each time) while it holds no cause. Default 4 MiB. */
  maxBytes?: number;
  lineIndex?: LogLineIndex;
}

export interface LogFailureCause {
  /** Null when the part of the log read holds no cause. */
  cause: FailureCause | null;
  /** The file size the cause was found at: a log that grew since is read again. */
  size: number;
  /** Bytes read from the end (the line count for the cause's number is extra, see below). */
  scanned: number;
}

const DEFAULT_TAIL_BYTES = 256 * 1024;
const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;

/**
 * The failure cause of a run from the end of its elt.log: failures are logged last, so a bounded
 * tail is read (never a whole multi-GiB log) and grown backwards only while it holds no cause.
 * The cause's line number comes from the shared line index, whose checkpoints the log viewer reuses
 * when the link to that line is followed.
 */
export async function readFailureCause(
  file: LogSource,
  opts: ReadFailureCauseOptions = {},
): Promise<LogFailureCause> {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const lineIndex = opts.lineIndex ?? logLineIndex;
  return withLogHandle(file, async (handle) => {
    const { size } = await handle.stat();
    let window = Math.min(opts.tailBytes ?? DEFAULT_TAIL_BYTES, maxBytes);
    for (;;) {
      const start = Math.max(0, size - window);
      const buffer = await readAt(handle, start, size - start);
      const lines = splitLines(buffer, start);
      // Lines are keyed by their byte offset until one is chosen: only that one needs a number.
      const found = findFailureCause(lines, opts);
      if (found !== null && found.line !== null) {
        const line = await lineIndex.lineAt(handle, found.line);
        return { cause: { ...found, line }, size, scanned: buffer.length };
      }
      if (start === 0 || window >= maxBytes) return { cause: null, size, scanned: buffer.length };
      window = Math.min(window * 4, maxBytes);
    }
  });
}

/** Whole lines of `buffer` (read at `start`), each keyed by its byte offset in the file. */
function splitLines(buffer: Buffer, start: number): { line: number; text: string }[] {
  const lines: { line: number; text: string }[] = [];
  // Mid-file, the first bytes are the end of a line that began before the window.
  let from = start === 0 ? 0 : buffer.indexOf(LF) + 1;
  if (start > 0 && from === 0) return lines;
  while (from < buffer.length) {
    const newline = buffer.indexOf(LF, from);
    const end = newline === -1 ? buffer.length : newline;
    lines.push({ line: start + from, text: buffer.toString('utf8', from, end) });
    from = end + 1;
  }
  return lines;
}
