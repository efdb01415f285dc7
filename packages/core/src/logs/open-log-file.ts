import { constants } from 'node:fs';
import { type FileHandle, open, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { NotFoundError, PathOutsideRootError } from '../errors.js';
import type { LogRoot } from './log-roots.js';

// O_NOFOLLOW: a final component swapped for a symlink fails with ELOOP instead of being followed.
// O_NONBLOCK: a FIFO swapped in must not park a thread-pool thread in open(2) until a writer comes.
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;

/**
 * Opens a log for reading and proves that what was opened is a regular file inside one of `roots`:
 * the check is made on the open descriptor, not on the name, so a symlink or folder swapped in
 * between a caller's lookup and this open (or between two re-opens of a followed log) cannot lead
 * the read outside. Read only through the returned handle; the caller closes it.
 *
 * The descriptor's real path comes from `/proc/self/fd/<fd>` where there is one (Linux); elsewhere
 * the name's real path is resolved after the open and must lead to the same device and inode.
 *
 * A missing file rethrows the ENOENT error (followers wait for the file); a symlink, a non-regular
 * file or a file outside every root throws PathOutsideRootError.
 */
export async function openLogFile(file: string, roots: readonly LogRoot[]): Promise<FileHandle> {
  let handle: FileHandle;
  try {
    handle = await open(file, OPEN_FLAGS);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // ELOOP: the last component is a symlink (EMLINK on FreeBSD).
    if (code === 'ELOOP' || code === 'EMLINK') throw new PathOutsideRootError();
    throw err;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new PathOutsideRootError();
    const real = await descriptorPath(handle, file, stats);
    if (real === null || !(await insideSomeRoot(real, roots))) throw new PathOutsideRootError();
    return handle;
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/**
 * A log to read: a path, opened and closed by the reader (for files the UI wrote itself), or a
 * handle from openLogFile, read through and left open (for run logs, whose folders others write).
 */
export type LogSource = string | FileHandle;

/** Runs `fn` on the source's handle; a path is opened for the call and closed after it. */
export async function withLogHandle<T>(
  source: LogSource,
  fn: (handle: FileHandle) => Promise<T>,
): Promise<T> {
  if (typeof source !== 'string') return fn(source);
  const handle = await open(source, 'r');
  try {
    return await fn(handle);
  } finally {
    await handle.close();
  }
}

/** As openLogFile, but a missing file is the `log_not_found` 404 the API shows. */
export async function openExistingLogFile(file: string, roots: readonly LogRoot[]): Promise<FileHandle> {
  try {
    return await openLogFile(file, roots);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new NotFoundError('log', 'The log file was removed while it was being opened');
    }
    throw err;
  }
}

/** Where the open file really is, or null when that cannot be proven. */
async function descriptorPath(
  handle: FileHandle,
  file: string,
  stats: { dev: number; ino: number },
): Promise<string | null> {
  try {
    const link = await readlink(`/proc/self/fd/${handle.fd}`);
    // A file unlinked since the open reads `<path> (deleted)`; its folder is still where it was.
    return link.endsWith(' (deleted)') ? link.slice(0, -' (deleted)'.length) : link;
  } catch {
    // No procfs: the name must still lead, symlinks resolved, to the very file we hold open.
    try {
      const real = await realpath(file);
      const now = await stat(real);
      return now.dev === stats.dev && now.ino === stats.ino ? real : null;
    } catch {
      return null;
    }
  }
}

// The roots' real paths, kept for a few seconds: resolving them for every read was a tenth of a
// log request. Safe to keep: the check is on the descriptor's real path, so a root swapped for a
// symlink meanwhile can only make reads inside the new target fail the check, never pass it.
const ROOT_TTL_MS = 10_000;
const realRootCache = new Map<string, { real: string | null; until: number }>();

async function realRoot(dir: string): Promise<string | null> {
  const now = Date.now();
  const cached = realRootCache.get(dir);
  if (cached && cached.until > now) return cached.real;
  const real = await realpath(dir).catch(() => null);
  if (realRootCache.size > 256) realRootCache.clear();
  // A root that does not exist (yet) is asked again next time.
  if (real !== null) realRootCache.set(dir, { real, until: now + ROOT_TTL_MS });
  return real;
}

async function insideSomeRoot(real: string, roots: readonly LogRoot[]): Promise<boolean> {
  const realRoots = await Promise.all(roots.map((root) => realRoot(root.dir)));
  return realRoots.some((root) => root !== null && isInside(root, real));
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return (
    relative !== '' &&
    relative !== '..' &&
    !relative.startsWith(`..${path.sep}`) &&
    !path.isAbsolute(relative)
  );
}
