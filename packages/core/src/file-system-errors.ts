import path from 'node:path';
import { CoreError } from './errors.js';

/**
 * What the operating system said when a project or log file could not be written or read, as a
 * stable code, an HTTP status and a sentence an operator can act on. The message names the file by
 * its absolute path: the server shows that to admins only (relative to the project for others).
 */
const SYSTEM_ERRORS: Record<string, { code: string; status: number; why: string }> = {
  ENOSPC: { code: 'disk_full', status: 507, why: 'no space is left on its disk' },
  EDQUOT: { code: 'disk_quota_exceeded', status: 507, why: "the disk quota of the server's user is used up" },
  EFBIG: {
    code: 'file_too_large',
    status: 507,
    why: "it would pass the largest file size the server may write (its process's file size limit, ulimit -f)",
  },
  EACCES: { code: 'file_permission_denied', status: 503, why: "the server's user has no permission" },
  EPERM: { code: 'file_permission_denied', status: 503, why: "the server's user has no permission" },
  EROFS: { code: 'read_only_filesystem', status: 503, why: 'its filesystem is mounted read-only' },
  EIO: { code: 'file_io_error', status: 503, why: 'the disk reported an input/output error' },
  EISDIR: { code: 'file_unreadable', status: 503, why: 'a folder is where the file should be' },
};

export type FileAction = 'read' | 'write' | 'open';

/**
 * A file operation the system refused; `details.errno` is the system's code (ENOSPC, EACCES…). The
 * message names `file` by its absolute path; `messageNaming` words it with the path a caller may see.
 */
export class FileSystemError extends CoreError {
  readonly file: string | null;
  readonly #why: string;
  readonly #action: FileAction;

  constructor(
    code: string,
    status: number,
    errno: string,
    why: string,
    action: FileAction,
    file: string | null,
  ) {
    super(code, status, describe(action, file ?? 'a file', why, errno), { errno });
    this.file = file;
    this.#why = why;
    this.#action = action;
  }

  messageNaming(shownFile: string): string {
    return describe(this.#action, shownFile, this.#why, String(this.details?.errno));
  }
}

function describe(action: FileAction, file: string, why: string, errno: string): string {
  const outcome = { write: '; it was left as it was', read: '; nothing was read', open: '' }[action];
  return `Could not ${action} ${file}: ${why} (${errno})${outcome}.`;
}

function errnoOf(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : '';
}

/**
 * The FileSystemError for a system error met while doing `action` to `file` (the error's own path
 * when none is given), or null when `err` is not one of the mapped system errors.
 */
export function fileSystemError(err: unknown, action: FileAction, file?: string): FileSystemError | null {
  const errno = errnoOf(err);
  const known = Object.hasOwn(SYSTEM_ERRORS, errno) ? SYSTEM_ERRORS[errno] : undefined;
  if (known === undefined) return null;
  const where = file ?? (err as { path?: unknown }).path;
  const named = typeof where === 'string' && where !== '' ? path.resolve(where) : null;
  return new FileSystemError(known.code, known.status, errno, known.why, action, named);
}

const READ_CALLS = new Set(['read', 'readdir', 'scandir', 'stat', 'lstat', 'fstat', 'readlink', 'realpath']);

/** The action a Node system error's `syscall` was part of. */
export function actionOfSyscall(syscall: unknown): FileAction {
  if (syscall === 'open') return 'open';
  return typeof syscall === 'string' && READ_CALLS.has(syscall) ? 'read' : 'write';
}
