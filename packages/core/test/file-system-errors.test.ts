import { describe, expect, it } from 'vitest';
import { actionOfSyscall, FileSystemError, fileSystemError } from '../src/file-system-errors.js';

const systemError = (code: string, syscall: string, file?: string) =>
  Object.assign(new Error(`${code}: failed, ${syscall}`), { code, syscall, ...(file ? { path: file } : {}) });

describe('fileSystemError', () => {
  it.each([
    ['ENOSPC', 'disk_full', 507, 'no space is left on its disk'],
    ['EDQUOT', 'disk_quota_exceeded', 507, "the disk quota of the server's user is used up"],
    ['EFBIG', 'file_too_large', 507, 'it would pass the largest file size the server may write'],
    ['EACCES', 'file_permission_denied', 503, "the server's user has no permission"],
    ['EPERM', 'file_permission_denied', 503, "the server's user has no permission"],
    ['EROFS', 'read_only_filesystem', 503, 'its filesystem is mounted read-only'],
    ['EIO', 'file_io_error', 503, 'the disk reported an input/output error'],
  ])('maps %s to %s (%i), naming the file', (errno, code, status, why) => {
    const err = fileSystemError(systemError(errno, 'write'), 'write', '/srv/project/meltano.yml');
    expect(err).toBeInstanceOf(FileSystemError);
    expect(err).toMatchObject({ code, status, details: { errno }, file: '/srv/project/meltano.yml' });
    expect(err?.message).toMatch(
      new RegExp(`^Could not write /srv/project/meltano\\.yml: ${why.replace(/[()]/g, '\\$&')}`),
    );
    expect(err?.message).toMatch(new RegExp(`\\(${errno}\\); it was left as it was\\.$`));
    expect(err?.messageNaming('meltano.yml')).toMatch(/^Could not write meltano\.yml: /);
    expect(err?.messageNaming('meltano.yml')).not.toContain('/srv');
  });

  it('takes the path from the error when none is given, and leaves other errors alone', () => {
    const err = fileSystemError(systemError('EACCES', 'open', '/var/log/elt.log'), actionOfSyscall('open'));
    expect(err?.message).toBe(
      "Could not open /var/log/elt.log: the server's user has no permission (EACCES).",
    );
    expect(fileSystemError(systemError('ENOENT', 'open', '/x'), 'open')).toBeNull();
    expect(fileSystemError(new Error('plain'), 'read')).toBeNull();
    expect(actionOfSyscall('read')).toBe('read');
    expect(actionOfSyscall('rename')).toBe('write');
  });
});
