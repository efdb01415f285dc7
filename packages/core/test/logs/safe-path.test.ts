import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotFoundError, PathOutsideRootError } from '../../src/errors.js';
import { resolveInsideRoot } from '../../src/logs/safe-path.js';
import { tempDir } from './fixtures.js';

describe('resolveInsideRoot', () => {
  let dir: string;
  let root: string;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    root = path.join(dir, 'root');
    await mkdir(path.join(root, 'elt', 'job'), { recursive: true });
    await writeFile(path.join(root, 'elt', 'job', 'elt.log'), 'ok\n');
    await mkdir(path.join(dir, 'outside'));
    await writeFile(path.join(dir, 'outside', 'elt.log'), 'secret\n');
  });
  afterEach(() => cleanup());

  it('returns the real path of an existing file and of a not-yet-existing one', async () => {
    expect(await resolveInsideRoot(root, 'elt', 'job', 'elt.log')).toBe(path.join(root, 'elt/job/elt.log'));
    expect(await resolveInsideRoot(root, 'elt/job', 'elt.log')).toBe(path.join(root, 'elt/job/elt.log'));
    expect(await resolveInsideRoot(root, 'elt', 'new', 'run', 'elt.log')).toBe(
      path.join(root, 'elt/new/run/elt.log'),
    );
    expect(await resolveInsideRoot(root)).toBe(root);
  });

  it.each([
    ['..'],
    ['../outside'],
    ['elt', '..', '..', 'outside'],
    ['a/../../outside'],
    ['/etc/passwd'],
    ['C:\\Windows'],
    ['a\\..\\..\\outside'],
    ['elt\u0000.log'],
    ['..%2foutside'],
    ['%2e%2e'],
    ['%252e%252e%252foutside'],
    ['elt%00.log'],
  ])('rejects %j', async (...segments) => {
    await expect(resolveInsideRoot(root, ...segments)).rejects.toBeInstanceOf(PathOutsideRootError);
  });

  it('rejects symlinks that lead out of the root, at any depth', async () => {
    await symlink(path.join(dir, 'outside'), path.join(root, 'elt', 'escape'));
    await symlink(path.join(dir, 'outside', 'elt.log'), path.join(root, 'elt', 'job', 'link.log'));
    await expect(resolveInsideRoot(root, 'elt', 'escape', 'elt.log')).rejects.toBeInstanceOf(
      PathOutsideRootError,
    );
    await expect(resolveInsideRoot(root, 'elt', 'escape', 'missing', 'x.log')).rejects.toBeInstanceOf(
      PathOutsideRootError,
    );
    await expect(resolveInsideRoot(root, 'elt', 'job', 'link.log')).rejects.toBeInstanceOf(
      PathOutsideRootError,
    );
  });

  it('follows a symlinked root itself', async () => {
    await symlink(root, path.join(dir, 'root-link'));
    expect(await resolveInsideRoot(path.join(dir, 'root-link'), 'elt', 'job', 'elt.log')).toBe(
      path.join(root, 'elt/job/elt.log'),
    );
  });

  it('reports a missing root as not found', async () => {
    await expect(resolveInsideRoot(path.join(dir, 'nope'), 'elt')).rejects.toBeInstanceOf(NotFoundError);
  });
});
