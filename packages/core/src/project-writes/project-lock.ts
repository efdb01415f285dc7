import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ConflictError } from '../errors.js';
import { fileSystemError } from '../file-system-errors.js';

/**
 * Serialises writers of one project's YAML files.
 *
 * Meltano guards its own writes with `fasteners.InterProcessLock` on `.meltano/run/meltano.yml.lock`: a
 * POSIX `fcntl` record lock, which Node cannot take. So this lock lives next to it, in
 * `.meltano/run/meltano.yml.lock.ui`, a file created with O_EXCL that holds the owner's host, pid and a
 * token. It guarantees:
 *   - one writer at a time among every UI process (and request) using this module on the same project;
 *   - a lock left by a killed process is taken over once its pid is gone (same host) or after `staleMs`.
 * It does NOT exclude the Python CLI (`meltano schedule add`, `config set`...), which never looks at this
 * file. What stands between us and the CLI is: Meltano writes atomically (we never read a torn file), our
 * writers re-read the file under the lock, and `atomicWriteYaml` refuses to rename when the file changed
 * since that read. The remaining hazard is the CLI holding a copy it read before our write and saving it
 * after: our edit is then lost, exactly as between two CLI runs without the lock.
 */
export interface ProjectLockOptions {
  /** How long to wait for another process before giving up with ConflictError `project_locked`. */
  timeoutMs?: number;
  /** A lock older than this is considered abandoned even if its pid looks alive (pid reuse, other host). */
  staleMs?: number;
}

interface LockOwner {
  host: string;
  pid: number;
  token: string;
}

/** In-process queues, one per lock file, so requests in this process wait in order instead of polling. */
const queues = new Map<string, Promise<unknown>>();

export function projectLockPath(root: string): string {
  return join(resolve(root), '.meltano', 'run', 'meltano.yml.lock.ui');
}

export async function withProjectLock<T>(
  root: string,
  fn: () => Promise<T>,
  options: ProjectLockOptions = {},
): Promise<T> {
  const path = projectLockPath(root);
  const previous = queues.get(path) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => withFileLock(path, fn, options));
  const tail = run.catch(() => undefined);
  queues.set(path, tail);
  try {
    return await run;
  } finally {
    if (queues.get(path) === tail) queues.delete(path);
  }
}

async function withFileLock<T>(path: string, fn: () => Promise<T>, options: ProjectLockOptions): Promise<T> {
  const owner: LockOwner = { host: hostname(), pid: process.pid, token: randomBytes(8).toString('hex') };
  await acquire(path, owner, options.timeoutMs ?? 10_000, options.staleMs ?? 30_000);
  try {
    return await fn();
  } finally {
    await release(path, owner);
  }
}

async function acquire(path: string, owner: LockOwner, timeoutMs: number, staleMs: number): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    const handle = await open(path, 'wx').catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EEXIST') return null;
      throw fileSystemError(error, 'write') ?? error;
    });
    if (handle !== null) {
      try {
        await handle.writeFile(JSON.stringify(owner));
        await handle.close();
        return;
      } catch (error) {
        // A full disk: an empty lock file left behind would look like one being created for the next
        // `staleMs`, and every write would wait for it. Take it away; the write answers disk_full.
        await handle.close().catch(() => undefined);
        await unlink(path).catch(() => undefined);
        throw fileSystemError(error, 'write', path) ?? error;
      }
    }
    await breakIfStale(path, staleMs);
    if (Date.now() > deadline) {
      throw new ConflictError('project_locked', 'Another process is editing the project files; try again');
    }
    await sleep(Math.min(50, 2 + attempt * 2) + Math.random() * 5);
  }
}

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockOwner;
  } catch {
    return null; // gone, or caught between create and write
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function breakIfStale(path: string, staleMs: number): Promise<void> {
  const info = await stat(path).catch(() => null);
  if (!info) return;
  const seen = await readOwner(path);
  const old = Date.now() - info.mtimeMs > staleMs;
  // An unreadable owner younger than staleMs is a lock being created right now.
  const dead = seen !== null && seen.host === hostname() && !isAlive(seen.pid);
  if (!dead && !old) return;
  // Move it aside before deleting, so two processes breaking the same stale lock cannot delete a fresh one.
  const aside = `${path}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch {
    return;
  }
  const moved = await readOwner(aside);
  if (seen !== null && moved !== null && moved.token !== seen.token) {
    // Someone took the lock between our read and the rename: give it back (fails if yet another took it).
    await link(aside, path).catch(() => undefined);
  }
  await unlink(aside).catch(() => undefined);
}

async function release(path: string, owner: LockOwner): Promise<void> {
  const current = await readOwner(path);
  if (current?.token === owner.token) await unlink(path).catch(() => undefined);
}
