import { chmod, cp, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import {
  HAS_REAL_PROJECTS,
  REAL_MELTANO,
  REAL_PROJECTS,
} from '../../../../test-fixtures/fixture-locations.mjs';

export { HAS_REAL_PROJECTS, REAL_MELTANO, REAL_PROJECTS };

/** Tests over the third-party projects run only where that folder is (always in CI). */
export const describeReal: ReturnType<typeof describe.skipIf> = describe.skipIf(!HAS_REAL_PROJECTS);
export const itReal: ReturnType<typeof it.skipIf> = it.skipIf(!HAS_REAL_PROJECTS);

export const realProject = (folder: string, dir = '.') => join(REAL_PROJECTS, folder, dir);
export const realMeltano = (version: string) => join(REAL_MELTANO, version, 'project');

/** Run `fn` on a writable copy of `source` (or an empty dir), removed afterwards. */
export async function withTempCopy<T>(source: string | null, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'meltano-ui-core-'));
  try {
    if (source) {
      await cp(source, dir, { recursive: true });
      await makeWritable(dir);
    }
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The fixtures are checked out read-only; copies must be editable (and removable) by a non-root user. */
async function makeWritable(path: string): Promise<void> {
  const info = await stat(path);
  await chmod(path, info.mode | 0o200);
  if (!info.isDirectory()) return;
  for (const entry of await readdir(path)) await makeWritable(join(path, entry));
}
