import { execFileSync } from 'node:child_process';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PathOutsideRootError } from '../../src/errors.js';
import type { LogRoot } from '../../src/logs/log-roots.js';
import { openLogFile } from '../../src/logs/open-log-file.js';
import { readLogChunk } from '../../src/logs/read-log.js';
import { tempDir } from './fixtures.js';

describe('openLogFile', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let roots: LogRoot[];
  let runDir: string;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    roots = [{ dir: path.join(dir, 'logs'), kind: 'project' }];
    runDir = path.join(dir, 'logs', 'elt', 'job', 'run');
    await mkdir(runDir, { recursive: true });
    await mkdir(path.join(dir, 'outside'));
    await writeFile(path.join(runDir, 'elt.log'), 'inside\n');
    await writeFile(path.join(dir, 'outside', 'elt.log'), 'OUTSIDE-MARKER\n');
  });
  afterEach(() => cleanup());

  it('opens a regular file inside a root, and the readers read through the handle', async () => {
    const handle = await openLogFile(path.join(runDir, 'elt.log'), roots);
    try {
      expect((await readLogChunk(handle, { offset: 0 })).text).toBe('inside\n');
    } finally {
      await handle.close();
    }
  });

  it('refuses a final symlink, even one that points inside (O_NOFOLLOW)', async () => {
    await symlink(path.join(dir, 'outside', 'elt.log'), path.join(runDir, 'out.log'));
    await symlink(path.join(runDir, 'elt.log'), path.join(runDir, 'in.log'));
    await expect(openLogFile(path.join(runDir, 'out.log'), roots)).rejects.toBeInstanceOf(
      PathOutsideRootError,
    );
    await expect(openLogFile(path.join(runDir, 'in.log'), roots)).rejects.toBeInstanceOf(
      PathOutsideRootError,
    );
  });

  it('refuses a file reached through a folder symlink that leads out of the roots', async () => {
    await symlink(path.join(dir, 'outside'), path.join(dir, 'logs', 'elt', 'job', 'swapped'));
    await expect(
      openLogFile(path.join(dir, 'logs', 'elt', 'job', 'swapped', 'elt.log'), roots),
    ).rejects.toBeInstanceOf(PathOutsideRootError);
  });

  it('refuses what is not a regular file, without blocking on a FIFO', async () => {
    execFileSync('mkfifo', [path.join(runDir, 'fifo.log')]);
    await expect(openLogFile(path.join(runDir, 'fifo.log'), roots)).rejects.toBeInstanceOf(
      PathOutsideRootError,
    );
    await expect(openLogFile(runDir, roots)).rejects.toBeInstanceOf(PathOutsideRootError);
  });

  it('rethrows ENOENT for a missing file (a follower waits for it)', async () => {
    await expect(openLogFile(path.join(runDir, 'missing.log'), roots)).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});
