import { type FileHandle, open } from 'node:fs/promises';
import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { InvalidInputError, LineOutOfRangeError, RangeNotSatisfiableError } from '../errors.js';
import { type LogSource, withLogHandle } from './open-log-file.js';
import { readAt, readInto } from './read-log.js';
import { LF } from './utf8.js';

export interface LogLineIndexOptions {
  /** Distance between checkpoints; the most a lookup reads once the index is built. Default 1 MiB. */
  checkpointBytes?: number;
  /** Files whose checkpoints are kept (least recently used are dropped). Default 64. */
  maxFiles?: number;
  /**
   * lineAtIfIndexed counts at most this many bytes not yet indexed before it answers; past that it
   * indexes in the background and answers null. Default 2 MiB.
   */
  immediateBytes?: number;
  /**
   * How long background indexing waits before its first read. Default 25 ms: the request that
   * started it answers first (its first 4 MiB count held the loop ~2 ms in the middle of that answer).
   */
  backgroundDelayMs?: number;
}

interface FileCheckpoints {
  /** Device and inode: the file's key in the index. */
  key: string;
  /** counts[k]: newlines in bytes [0, k × checkpointBytes). counts[0] is 0. */
  counts: number[];
  /** The bytes just before the last checkpoint, to notice a file rewritten in place. */
  fingerprint: Buffer;
  /** Extensions of one file run one after another, so two requests never count the same bytes. */
  queue: Promise<void>;
  /** Set while the file is being indexed in the background. */
  background: Promise<void> | null;
}

const DEFAULT_CHECKPOINT_BYTES = 1024 * 1024;
// Large sequential reads are what make the first count of a big file fast.
const TARGET_READ_BYTES = 8 * 1024 * 1024;
const FINGERPRINT_BYTES = 64;
// Background indexing reads this much at a time into one buffer: a first look at a 1 GiB log must
// not grow the server's memory by more than this, nor hold the event loop for more than a few ms.
const BACKGROUND_READ_BYTES = 4 * 1024 * 1024;

/**
 * Line numbers for byte offsets in append-only logs, without counting from the start each time.
 *
 * Per file (by device and inode, so a handle opened by openLogFile needs no name) it keeps a sparse list of checkpoints (the newline count at every `checkpointBytes`),
 * built lazily as far as a lookup needs, kept across requests and extended when the file grows.
 * A lookup then reads at most one checkpoint's worth of bytes. The checkpoints are dropped when the
 * file shrinks below them or when the bytes before the last checkpoint changed (rewritten in place);
 * a rotated or replaced file is a new inode, so a new entry.
 */
export class LogLineIndex {
  readonly checkpointBytes: number;
  private readonly maxFiles: number;
  private readonly immediateBytes: number;
  private readonly backgroundDelayMs: number;
  private readonly files = new Map<string, FileCheckpoints>();
  // Files indexed in the background go one at a time: a burst of first looks at big logs costs one
  // core at most, whatever their number.
  private backgroundQueue: Promise<void> = Promise.resolve();

  constructor(opts: LogLineIndexOptions = {}) {
    this.checkpointBytes = opts.checkpointBytes ?? DEFAULT_CHECKPOINT_BYTES;
    this.maxFiles = opts.maxFiles ?? 64;
    this.immediateBytes = opts.immediateBytes ?? 2 * 1024 * 1024;
    this.backgroundDelayMs = opts.backgroundDelayMs ?? 25;
    if (!Number.isInteger(this.checkpointBytes) || this.checkpointBytes < 1) {
      throw new InvalidInputError('checkpointBytes must be a positive integer');
    }
  }

  /**
   * The 1-based number of the line that holds byte `offset` (1 + the newlines before it). `offset`
   * may equal the file size: that is the line being written after the last newline.
   */
  async lineAt(file: LogSource, offset: number): Promise<number> {
    if (!Number.isInteger(offset) || offset < 0) {
      throw new InvalidInputError('offset must be a non-negative integer', { offset });
    }
    return this.withFile(file, async (handle, size, entry) => {
      if (offset > size) throw new RangeNotSatisfiableError(size);
      const k = Math.floor(offset / this.checkpointBytes);
      await this.extend(handle, entry, size, (counts) => counts.length > k);
      return (await this.countFrom(handle, entry, k, offset)) + 1;
    });
  }

  /**
   * As lineAt, but without making the caller wait for a large unindexed part of the file: when more
   * than `immediateBytes` before `offset` are not counted yet (the first look at the end of a big
   * log), it starts indexing the file in the background and answers null; asked again once that is
   * done, it answers at once. How a tail of a 1 GiB log comes back as fast as `tail` does.
   *
   * Background indexing reads through its own descriptor (the same open file, reopened through
   * /proc/self/fd, so the caller may close its handle); where there is no such path it counts now.
   */
  async lineAtIfIndexed(file: LogSource, offset: number): Promise<number | null> {
    if (!Number.isInteger(offset) || offset < 0) {
      throw new InvalidInputError('offset must be a non-negative integer', { offset });
    }
    return this.withFile(file, async (handle, size, entry) => {
      if (offset > size) throw new RangeNotSatisfiableError(size);
      const k = Math.floor(offset / this.checkpointBytes);
      const indexedTo = (entry.counts.length - 1) * this.checkpointBytes;
      if (entry.counts.length <= k && offset - indexedTo > this.immediateBytes) {
        if (await this.indexInBackground(handle, entry)) return null;
      }
      await this.extend(handle, entry, size, (counts) => counts.length > k);
      return (await this.countFrom(handle, entry, k, offset)) + 1;
    });
  }

  /** Resolves once every file queued for background indexing so far is indexed (tests, benches). */
  backgroundIdle(): Promise<void> {
    return this.backgroundQueue;
  }

  /**
   * The byte offset where 1-based line `line` starts. Line 1 starts at 0; line N exists when the
   * file holds N − 1 newlines and a byte after the last of them. Throws LineOutOfRangeError otherwise.
   */
  async lineStart(file: LogSource, line: number): Promise<number> {
    if (!Number.isInteger(line) || line < 1) {
      throw new InvalidInputError('line must be a positive integer', { line });
    }
    if (line === 1) return 0;
    return this.withFile(file, async (handle, size, entry) => {
      const target = line - 1;
      await this.extend(handle, entry, size, (counts) => (counts.at(-1) ?? 0) >= target);
      // The last checkpoint before the target-th newline; the newline lies in the bytes after it.
      let lo = 0;
      let hi = entry.counts.length - 1;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if ((entry.counts[mid] ?? 0) < target) lo = mid;
        else hi = mid - 1;
      }
      const before = entry.counts[lo] ?? 0;
      const found = await this.findNewline(handle, lo * this.checkpointBytes, size, target - before);
      if (found.position !== null && found.position + 1 < size) return found.position + 1;
      // Not there: say how many lines there are (a last line without its newline counts too).
      const endsInNewline = size === 0 || (await readAt(handle, size - 1, 1))[0] === LF;
      throw new LineOutOfRangeError(line, before + found.seen + (endsInNewline ? 0 : 1));
    });
  }

  /** Forgets every file's checkpoints (tests; or after the logs were moved around). */
  clear(): void {
    this.files.clear();
  }

  private async withFile<T>(
    file: LogSource,
    fn: (handle: FileHandle, size: number, entry: FileCheckpoints) => Promise<T>,
  ): Promise<T> {
    return withLogHandle(file, async (handle) => {
      const stats = await handle.stat();
      const entry = await this.validEntry(handle, stats.dev, stats.ino, stats.size);
      return fn(handle, stats.size, entry);
    });
  }

  private async validEntry(
    handle: FileHandle,
    dev: number,
    ino: number,
    size: number,
  ): Promise<FileCheckpoints> {
    const key = `${dev}:${ino}`;
    const cached = this.files.get(key);
    if (cached) {
      const indexedTo = (cached.counts.length - 1) * this.checkpointBytes;
      if (indexedTo <= size && (await this.fingerprintAt(handle, indexedTo)).equals(cached.fingerprint)) {
        // Re-inserting keeps the Map in least-recently-used order.
        this.files.delete(key);
        this.files.set(key, cached);
        return cached;
      }
    }
    const entry: FileCheckpoints = {
      key,
      counts: [0],
      fingerprint: Buffer.alloc(0),
      queue: Promise.resolve(),
      background: null,
    };
    this.files.delete(key);
    this.files.set(key, entry);
    while (this.files.size > this.maxFiles) {
      const oldest = this.files.keys().next().value;
      if (oldest === undefined) break;
      this.files.delete(oldest);
    }
    return entry;
  }

  /**
   * Starts indexing the file on a descriptor of its own, unless that is already under way; false
   * when no second descriptor can be had (then the caller counts now).
   */
  private async indexInBackground(handle: FileHandle, entry: FileCheckpoints): Promise<boolean> {
    if (entry.background !== null) return true;
    const own = await reopen(handle);
    if (own === null) return false;
    const scratch = Buffer.allocUnsafe(Math.max(this.checkpointBytes, BACKGROUND_READ_BYTES));
    const index = async () => {
      try {
        await sleep(this.backgroundDelayMs);
        for (;;) {
          // The file's entry may have been dropped (evicted, rewritten): then nobody waits for it.
          if (this.files.get(entry.key) !== entry) return;
          const { size } = await own.stat();
          const before = entry.counts.length;
          await this.extend(own, entry, size, (counts) => counts.length > before, scratch);
          if (entry.counts.length === before) return;
          await nextTurn();
        }
      } finally {
        entry.background = null;
        await own.close();
      }
    };
    const job = this.backgroundQueue.then(index).catch(() => {});
    entry.background = job;
    this.backgroundQueue = job;
    return true;
  }

  /**
   * Adds checkpoints until `enough` holds or every whole checkpoint of the file is counted. With
   * `scratch`, reads go into that one buffer (as many checkpoints as it holds at a time).
   */
  private extend(
    handle: FileHandle,
    entry: FileCheckpoints,
    size: number,
    enough: (counts: number[]) => boolean,
    scratch?: Buffer,
  ): Promise<void> {
    const step = this.checkpointBytes;
    const run = async () => {
      const readBytes = scratch?.length ?? TARGET_READ_BYTES;
      const blocksPerRead = Math.max(1, Math.floor(readBytes / step));
      const lastCheckpoint = Math.floor(size / step);
      while (!enough(entry.counts) && entry.counts.length - 1 < lastCheckpoint) {
        const k = entry.counts.length - 1;
        const blocks = Math.min(blocksPerRead, lastCheckpoint - k);
        const buffer = scratch
          ? await readInto(handle, scratch.subarray(0, blocks * step), k * step)
          : await readAt(handle, k * step, blocks * step);
        if (buffer.length < blocks * step) break; // shrank under us; the next call resets
        let count = entry.counts[k] ?? 0;
        for (let b = 0; b < blocks; b += 1) {
          count += countNewlines(buffer, b * step, (b + 1) * step);
          entry.counts.push(count);
        }
        entry.fingerprint = await this.fingerprintAt(handle, (entry.counts.length - 1) * step);
      }
    };
    const next = entry.queue.then(run);
    entry.queue = next.catch(() => {});
    return next;
  }

  private fingerprintAt(handle: FileHandle, position: number): Promise<Buffer> {
    const from = Math.max(0, position - FINGERPRINT_BYTES);
    return readAt(handle, from, position - from);
  }

  /** Newlines before `offset`, from checkpoint `k` (which must exist and lie at or before it). */
  private async countFrom(handle: FileHandle, entry: FileCheckpoints, k: number, offset: number) {
    const from = k * this.checkpointBytes;
    const buffer = await readAt(handle, from, offset - from);
    return (entry.counts[k] ?? 0) + countNewlines(buffer, 0, buffer.length);
  }

  /**
   * Position of the `nth` newline at or after `from`, else null and how many were seen before
   * `size`. Called from the last checkpoint before that newline, so it reads about one checkpoint.
   */
  private async findNewline(handle: FileHandle, from: number, size: number, nth: number) {
    const blockBytes = Math.max(this.checkpointBytes, 64 * 1024);
    let seen = 0;
    for (let position = from; position < size; position += blockBytes) {
      const buffer = await readAt(handle, position, Math.min(blockBytes, size - position));
      if (buffer.length === 0) break;
      for (let i = buffer.indexOf(LF); i !== -1; i = buffer.indexOf(LF, i + 1)) {
        seen += 1;
        if (seen === nth) return { position: position + i, seen };
      }
    }
    return { position: null, seen };
  }
}

/**
 * A second descriptor for the very file `handle` holds open (Linux's /proc/self/fd; the same inode
 * even if the name was since renamed or removed), or null where that cannot be had.
 */
async function reopen(handle: FileHandle): Promise<FileHandle | null> {
  let own: FileHandle;
  try {
    own = await open(`/proc/self/fd/${handle.fd}`, 'r');
  } catch {
    return null;
  }
  const [mine, theirs] = await Promise.all([own.stat(), handle.stat()]);
  if (mine.dev === theirs.dev && mine.ino === theirs.ino) return own;
  await own.close();
  return null;
}

/** Newline bytes in `buffer[from, to)`. */
export function countNewlines(buffer: Buffer, from: number, to: number): number {
  let count = 0;
  for (let i = buffer.indexOf(LF, from); i !== -1 && i < to; i = buffer.indexOf(LF, i + 1)) count += 1;
  return count;
}

/** The index the server uses: one per process, shared by every request. */
export const logLineIndex = new LogLineIndex();
