import { type LogLineIndex, logLineIndex } from './line-index.js';
import type { LogSource } from './open-log-file.js';
import { type LogChunk, readLogChunk } from './read-log.js';

/** A chunk that knows its place in the file by lines too. */
export type NumberedLogChunk<T extends LogChunk = LogChunk> = T & {
  /**
   * 1-based number of the line that holds the chunk's first byte; null while the lines before it
   * are still being counted (the first read near the end of a large log: ask again shortly).
   */
  first_line: number | null;
};

/**
 * Adds `first_line` to a chunk from the line index: at most one checkpoint read once the file is
 * indexed; null at once, with indexing started in the background, when it is not indexed that far.
 */
export async function numberChunk<T extends LogChunk>(
  file: LogSource,
  chunk: T,
  lineIndex: LogLineIndex = logLineIndex,
): Promise<NumberedLogChunk<T>> {
  return { ...chunk, first_line: await lineIndex.lineAtIfIndexed(file, chunk.offset) };
}

/**
 * `length` bytes (see readLogChunk) starting where 1-based line `line` starts: how a link to a line
 * opens in a file of any size. Throws LineOutOfRangeError past the last line.
 */
export async function readLogFromLine(
  file: LogSource,
  opts: { line: number; length?: number },
  lineIndex: LogLineIndex = logLineIndex,
): Promise<NumberedLogChunk> {
  const offset = await lineIndex.lineStart(file, opts.line);
  const chunk = await readLogChunk(
    file,
    opts.length === undefined ? { offset } : { offset, length: opts.length },
  );
  return { ...chunk, first_line: opts.line };
}
