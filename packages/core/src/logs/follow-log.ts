import { type FSWatcher, watch } from 'node:fs';
import { type FileHandle, lstat, open } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '../errors.js';
import type { LogRoot } from './log-roots.js';
import { openLogFile } from './open-log-file.js';
import { readAt } from './read-log.js';
import { charStartAtOrBefore, completeEnd } from './utf8.js';

/** Text appended to a followed log; `offset`/`length` are the bytes it came from. */
export interface FollowChunk {
  offset: number;
  length: number;
  text: string;
}

export interface FollowLogOptions {
  /** Byte to start at, normally `offset + length` of the chunk or tail already shown. */
  fromOffset: number;
  /**
   * Receives each chunk. When it returns a promise, nothing more is read until it settles: that is
   * how a consumer slower than the file (a socket that does not drain) holds the reading back.
   */
  onData: (chunk: FollowChunk) => void | Promise<void>;
  /** I/O errors (and errors thrown by `onData`); following goes on. Without it they are dropped. */
  onError?: (err: Error) => void;
  signal: AbortSignal;
  /** Poll interval, the fallback for when `fs.watch` misses or is unavailable. Default 250 ms. */
  pollMs?: number;
  /**
   * The folders the file must be in. Every (re-)open then goes through openLogFile, which proves on
   * the open descriptor that it is a regular file inside one of them (a file swapped for a symlink,
   * or a folder for a link outside, between two polls is refused and reported through `onError`).
   */
  roots?: readonly LogRoot[];
}

// The most text one chunk carries. Small enough that a consumer holding one chunk (and its JSON
// encoding, up to 6 times as long for control characters) stays under a MiB; large enough to catch
// up on a big backlog in a few thousand reads.
const READ_BLOCK = 128 * 1024;

/**
 * Pushes bytes appended to `file` as they arrive, until `signal` aborts (which closes the watchers,
 * the timer and any open handle; nothing is delivered after it).
 *
 * - Chunks carry whatever complete UTF-8 text is there, not whole lines: a line may arrive in two
 *   chunks, and the client joins them. A character cut short by the writer is held back until its
 *   last byte arrives (a file that ends in a broken character therefore never delivers those ≤3
 *   bytes).
 * - `fs.watch` wakes us as soon as the file changes; a `pollMs` poll covers file systems where it is
 *   silent (network mounts, some containers). A missing file is waited for (its folder is watched
 *   when it exists).
 * - When the file shrinks below what was delivered, or is replaced by another file (new inode), the
 *   follow restarts at byte 0 and says so with a chunk at offset 0 (possibly with empty text).
 *   A truncate-and-rewrite to at least the old size between two checks cannot be noticed.
 * - A `fromOffset` inside a character is moved back to that character's start.
 */
export function followLog(file: string, opts: FollowLogOptions): void {
  const { fromOffset, onData, onError, signal, roots } = opts;
  if (!Number.isInteger(fromOffset) || fromOffset < 0) {
    throw new InvalidInputError('fromOffset must be a non-negative integer', { fromOffset });
  }
  const pollMs = opts.pollMs ?? 250;
  if (signal.aborted) return;

  let position = fromOffset;
  let alignStart = fromOffset > 0;
  let announceReset = false;
  let inode: number | null = null;
  let stopped = false;
  let running = false;
  let again = false;
  let againFull = false;
  let timer: NodeJS.Timeout | undefined;
  let fileWatcher: FSWatcher | null = null;
  let dirWatcher: FSWatcher | null = null;
  let lastError: string | null = null;

  const report = (err: unknown): void => {
    const error = err instanceof Error ? err : new Error(String(err));
    // The poll would repeat the same failure every tick; say it once until something succeeds.
    if (stopped || error.message === lastError) return;
    lastError = error.message;
    onError?.(error);
  };

  const emit = async (chunk: FollowChunk): Promise<void> => {
    if (stopped) return;
    try {
      await onData(chunk);
    } catch (err) {
      report(err);
    }
  };

  const closeWatcher = (watcher: FSWatcher | null): null => {
    watcher?.close();
    return null;
  };

  const watchSafely = (target: string, listener: (event: string, name: string | null) => void) => {
    try {
      const watcher = watch(target, { persistent: false }, (event, name) =>
        listener(event, name?.toString() ?? null),
      );
      // Errors (e.g. the watched file deleted on some platforms) leave us on polling until re-armed.
      watcher.on('error', () => {
        if (watcher === fileWatcher) fileWatcher = closeWatcher(fileWatcher);
        if (watcher === dirWatcher) dirWatcher = closeWatcher(dirWatcher);
      });
      return watcher;
    } catch {
      return null; // no inotify slots, unsupported file system, folder missing: polling covers it
    }
  };

  const armWatchers = (fileExists: boolean): void => {
    if (stopped) return;
    if (fileExists) {
      dirWatcher = closeWatcher(dirWatcher);
      fileWatcher ??= watchSafely(file, (event) => {
        // A rename/delete detaches an inotify watch from the path; re-arm on the next check.
        if (event === 'rename') fileWatcher = closeWatcher(fileWatcher);
        void check(event === 'change');
      });
    } else {
      fileWatcher = closeWatcher(fileWatcher);
      dirWatcher ??= watchSafely(path.dirname(file), (_event, name) => {
        if (name === null || name === path.basename(file)) void check();
      });
    }
  };

  // The open file, kept between checks while its name still leads to it: each check then costs an
  // lstat of the name and an fstat, where opening and proving the file again (open, fstat, the
  // descriptor's real path, close) cost five calls: with hundreds of live clients that was most of
  // the server's work. A name that now leads elsewhere (rotated, replaced, a symlink swapped in: a
  // symlink is an inode of its own) is opened and proved again.
  let held: { handle: FileHandle; dev: number; ino: number } | null = null;

  const release = async (): Promise<void> => {
    const was = held;
    held = null;
    await was?.handle.close().catch(() => {});
  };

  /**
   * The file's handle, or null (watchers armed for it to appear) while there is no such file.
   * `changed`: woken by the file watcher's 'change', which inotify raises for the watched inode
   * itself, so the held handle is still the file (a rename or replacement raises 'rename', and
   * polls always look at the name).
   */
  const currentHandle = async (changed: boolean): Promise<FileHandle | null> => {
    if (changed && held !== null) return held.handle;
    try {
      const now = await lstat(file);
      if (held !== null && now.dev === held.dev && now.ino === held.ino) return held.handle;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      await release();
      armWatchers(false);
      return null;
    }
    await release();
    let handle: FileHandle;
    try {
      handle = roots ? await openLogFile(file, roots) : await open(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      armWatchers(false);
      return null;
    }
    const stats = await handle.stat();
    held = { handle, dev: stats.dev, ino: stats.ino };
    return handle;
  };

  const readAvailable = async (changed: boolean): Promise<void> => {
    const handle = await currentHandle(changed);
    if (handle === null) return;
    const stats = await handle.stat();
    armWatchers(true);
    if ((inode !== null && stats.ino !== inode) || stats.size < position) {
      position = 0;
      alignStart = false;
      announceReset = true;
    }
    inode = stats.ino;

    while (!stopped && position < stats.size) {
      const behind = alignStart ? Math.min(3, position) : 0;
      const windowStart = position - behind;
      const window = await readAt(handle, windowStart, Math.min(READ_BLOCK, stats.size - position) + behind);
      const from = alignStart ? charStartAtOrBefore(window, behind, 0) : 0;
      const to = completeEnd(window, from, window.length);
      if (to <= from) break; // only part of a character so far
      alignStart = false;
      announceReset = false;
      position = windowStart + to;
      await emit({
        offset: windowStart + from,
        length: to - from,
        text: window.toString('utf8', from, to),
      });
    }
    if (announceReset) {
      announceReset = false;
      await emit({ offset: 0, length: 0, text: '' });
    }
    lastError = null;
  };

  // Watch events and poll ticks may overlap; one read at a time, and one more if asked meanwhile
  // (a full one, looking at the name, if any of the asks was).
  const check = async (changed = false): Promise<void> => {
    if (stopped) return;
    if (running) {
      again = true;
      againFull ||= !changed;
      return;
    }
    running = true;
    try {
      let onlyChanged = changed;
      do {
        again = false;
        await readAvailable(onlyChanged);
        onlyChanged = !againFull;
        againFull = false;
      } while (again && !stopped);
    } catch (err) {
      // Whatever failed, the next check starts from a fresh open.
      await release();
      report(err);
    } finally {
      running = false;
      if (stopped) await release();
    }
  };

  const tick = async (): Promise<void> => {
    await check();
    if (!stopped) timer = setTimeout(tick, pollMs);
  };

  signal.addEventListener(
    'abort',
    () => {
      stopped = true;
      clearTimeout(timer);
      fileWatcher = closeWatcher(fileWatcher);
      dirWatcher = closeWatcher(dirWatcher);
      // A check under way closes the file when it ends; otherwise it is closed now.
      if (!running) void release();
    },
    { once: true },
  );
  void tick();
}
