import { chmod, copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { REAL_MELTANO } from '../../../../test-fixtures/fixture-locations.mjs';

/** The artifacts the real Meltano CLI wrote (test-fixtures/real-meltano): read in place, never written. */
export { REAL_MELTANO };

/** Every system DB the fixtures hold; the upgraded one has v2.20.0's rows at the v4.2 head. */
export const FIXTURE_DBS = ['v2.20.0', 'v3.9.5', 'v4.2.2', 'v2.20.0/upgraded-by-v4.2.2'] as const;
export type FixtureDb = (typeof FIXTURE_DBS)[number];

export function fixtureDbFile(db: FixtureDb): string {
  return db === 'v2.20.0/upgraded-by-v4.2.2'
    ? path.join(REAL_MELTANO, db, 'meltano.db')
    : path.join(REAL_MELTANO, db, 'project', '.meltano', 'meltano.db');
}

/** The version whose outputs/ describe a fixture DB's rows (`meltano upgrade database` keeps rows). */
export function fixtureVersion(db: FixtureDb): string {
  return db.split('/')[0]!;
}

/** A row of outputs/table-runs.json (`sqlite3 -json`), i.e. exactly what the CLI stored. */
export interface DumpedRun {
  id: number;
  job_name: string;
  state: string;
  started_at: string | null;
  ended_at: string | null;
  payload: string;
  payload_flags: number;
  run_id: string;
  trigger: string;
  last_heartbeat_at: string | null;
}

export interface DumpedState {
  state_id: string;
  partial_state: string;
  completed_state: string;
  updated_at: string | null;
}

export async function readOutput<T>(version: string, file: string): Promise<T> {
  return JSON.parse(await readFile(path.join(REAL_MELTANO, version, 'outputs', file), 'utf8')) as T;
}

export interface TempDir {
  dir: string;
  cleanup(): Promise<void>;
}

export async function tempDir(): Promise<TempDir> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'meltano-ui-db-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** A writable copy of a fixture DB at `<dir>/<name>/meltano.db`. */
export async function copyFixtureDb(db: FixtureDb, dir: string): Promise<string> {
  const target = path.join(dir, db.replace(/[^A-Za-z0-9.]+/g, '_'), 'meltano.db');
  await mkdir(path.dirname(target), { recursive: true });
  await copyFile(fixtureDbFile(db), target);
  await chmod(target, 0o644);
  return target;
}

/** `2026-11-21 04:39:06.940260` → `2026-11-21T04:39:06.940260Z`, spelled out independently of src/. */
export function isoFromDump(text: string | null): string | null {
  return text === null ? null : `${text.replace(' ', 'T')}Z`;
}

/** 32 hex → 8-4-4-4-12. */
export function dashedUuid(hex: string): string {
  return hex.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
}
