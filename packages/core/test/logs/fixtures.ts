import { readFileSync } from 'node:fs';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { REAL_MELTANO } from '../../../../test-fixtures/fixture-locations.mjs';

/** The artifacts the real Meltano CLI wrote (test-fixtures/real-meltano), read in place. */
export const REAL_MELTANO_DIR = REAL_MELTANO;

export const MELTANO_VERSIONS = ['v2.20.0', 'v3.9.5', 'v4.2.2'] as const;

export interface FixtureRun {
  id: number;
  job_name: string;
  run_id: string;
  state: string;
}

export function fixtureRuns(version: string): FixtureRun[] {
  const file = path.join(REAL_MELTANO_DIR, version, 'outputs', 'table-runs.json');
  return JSON.parse(readFileSync(file, 'utf8')) as FixtureRun[];
}

/** A fresh temp folder (real path, so comparisons with realpath results hold) and its cleanup. */
export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'meltano-ui-logs-')));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * A temp folder for the tests of one file (created before, removed after) and a writer of numbered
 * log files in it; `dir()` is the folder.
 */
export function scratchLogs(): { logFile: (content: string | Buffer) => Promise<string>; dir: () => string } {
  let scratch: { dir: string; cleanup: () => Promise<void> } | null = null;
  let count = 0;
  beforeAll(async () => {
    scratch = await tempDir();
  });
  afterAll(() => scratch?.cleanup());
  const dir = () => {
    if (!scratch) throw new Error('scratchLogs() used outside a test');
    return scratch.dir;
  };
  return {
    dir,
    async logFile(content) {
      count += 1;
      const file = path.join(dir(), `log-${count}.log`);
      await writeFile(file, content);
      return file;
    },
  };
}
