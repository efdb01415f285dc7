import { randomBytes } from 'node:crypto';
import { open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ConflictError, CoreError, ProjectFileError } from '../errors.js';
import { fileSystemError } from '../file-system-errors.js';
import { parseYamlText } from '../project/yaml-file.js';

export interface AtomicWriteOptions {
  /** Project root, only for messages. */
  root: string;
  /**
   * The content the caller based its edit on. When the file holds anything else at write time (the CLI or a
   * text editor wrote in between), nothing is written and a ConflictError is thrown: a lost update is worse
   * than a retry.
   */
  expectedCurrent?: string;
}

/**
 * Replace a YAML project file the way Meltano does (temp file in the same directory, fsync, rename, fsync
 * of the directory), so readers and a crash at any instant see either the old or the new bytes, never a
 * torn file. The file's mode (and owner, when we may) is kept. A file whose current content does not parse
 * is never replaced: the user's broken edit would be lost, so they must fix it first.
 */
export async function atomicWriteYaml(
  file: string,
  content: string,
  options: AtomicWriteOptions,
): Promise<void> {
  // Write next to the real file: renaming over a symlink would replace the link with a copy.
  const target = await realpath(file).catch(() => file);
  const current = await readFile(target, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return null;
    throw error;
  });
  if (options.expectedCurrent !== undefined && current !== options.expectedCurrent) {
    throw new ConflictError('file_changed', `${basename(target)} changed on disk while it was being edited`, {
      file: target,
    });
  }
  // With expectedCurrent, current is the text the caller parsed to splice its edit into: checked already.
  if (current !== null && options.expectedCurrent === undefined) {
    parseYamlText(target, current.replace(/^\uFEFF/, ''), options.root);
  }
  try {
    parseYamlText(target, content, options.root, { remember: true });
  } catch (error) {
    // Our own edit produced something unreadable: a bug here, never the user's file.
    const reason = error instanceof ProjectFileError ? error.message : String(error);
    throw new CoreError('project_write_failed', 500, `Refusing to write an unparseable ${basename(target)}`, {
      reason,
    });
  }

  await writeFileAtomically(target, content);
}

/**
 * Replace (or create) any project file atomically: temp file in the same directory, fsync, rename, fsync of
 * the directory. An existing file keeps its mode (and owner, when we may); a new one gets `newFileMode`
 * (0644 unless told, e.g. 0600 for a `.env` that will hold secrets).
 */
export async function writeFileAtomically(
  file: string,
  content: string,
  newFileMode = 0o644,
  /** Replaces the existing file's mode (e.g. 0600 for a `.env` others could read). */
  forceMode?: number,
): Promise<void> {
  const target = await realpath(file).catch(() => file);
  try {
    await replaceFile(target, content, newFileMode, forceMode);
  } catch (error) {
    // A full disk or a size limit fails the temp file's write, which names no path: name the file
    // the user asked to change. The file itself is untouched and the temp file is gone.
    throw fileSystemError(error, 'write', target) ?? error;
  }
}

async function replaceFile(
  target: string,
  content: string,
  newFileMode: number,
  forceMode: number | undefined,
): Promise<void> {
  const info = await stat(target).catch(() => null);
  const mode = forceMode ?? (info ? info.mode & 0o7777 : newFileMode);
  const dir = dirname(target);
  // Ends in `.tmp` so no include_paths glob such as `*.yml` can pick up a leftover from a crash.
  const temp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.chmod(mode); // open() applied the umask; the original mode wins
    if (info && process.getuid?.() === 0) await handle.chown(info.uid, info.gid).catch(() => undefined);
    await handle.sync();
    // close() can report a failed write too (ENOSPC, EDQUOT on network filesystems).
    await handle.close();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  try {
    await rename(temp, target);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

/** Make the rename itself durable; some filesystems refuse fsync on a directory, which is not fatal. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch {
    // EISDIR/EINVAL/EPERM on exotic filesystems: the data itself is already synced.
  } finally {
    await handle?.close();
  }
}
