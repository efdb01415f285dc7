import { existsSync } from 'node:fs';
import { copyFile, mkdir, rename } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDatabaseUri } from '../../src/db/database-uri.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import { DatabaseUnavailableError, InvalidInputError } from '../../src/errors.js';
import { copyFixtureDb, fixtureDbFile, type TempDir, tempDir } from '../support/fixtures.js';

const ctx = { projectRoot: '/', cwd: '/', sysDir: '/' };
const now = () => new Date('2026-11-21T06:00:00Z');
const open = (file: string) => openSystemDatabase(parseDatabaseUri(`sqlite:///${file}`, ctx), { now });

/** Meltano's DDL for `runs` (outputs/sqlite-schema.txt). */
const RUNS_DDL = `CREATE TABLE IF NOT EXISTS "runs" (
  id INTEGER NOT NULL, job_name VARCHAR, state VARCHAR(7), started_at DATETIME, ended_at DATETIME,
  payload VARCHAR, payload_flags INTEGER, run_id CHAR(32), "trigger" VARCHAR, last_heartbeat_at DATETIME,
  PRIMARY KEY (id))`;

async function expectEmpty(db: SystemDatabase): Promise<void> {
  await expect(db.ping()).resolves.toBeUndefined();
  expect(await db.runs.list({}, { limit: 10 })).toEqual({ items: [], next_cursor: null });
  expect(await db.runs.get(1)).toBeNull();
  expect(await db.runs.latestByStateId()).toEqual(new Map());
  expect(await db.runs.latestByStateId(['a'])).toEqual(new Map());
  expect(await db.runs.recentByStateId(['a'], 20)).toEqual(new Map([['a', []]]));
  expect(await db.runs.stats(['a'])).toEqual(new Map([['a', { total: 0, succeeded: 0, failed: 0 }]]));
  expect(await db.runs.stateIdSummaries()).toEqual([]);
  expect(await db.state.get('a')).toBeNull();
  expect(await db.state.list()).toEqual([]);
}

describe('SystemDatabase on SQLite', () => {
  let tmp: TempDir;
  const opened: SystemDatabase[] = [];
  const track = (db: SystemDatabase) => {
    opened.push(db);
    return db;
  };

  beforeEach(async () => {
    tmp = await tempDir();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((db) => db.close()));
    await tmp.cleanup();
  });

  it('treats a missing file as "no runs yet", never creates it, and picks it up once the CLI has', async () => {
    const dir = path.join(tmp.dir, 'project', '.meltano');
    const file = path.join(dir, 'meltano.db');
    const db = track(open(file));
    expect(db.kind).toBe('sqlite');
    expect(db.display).toBe(`sqlite:///${file}`);
    await expectEmpty(db);
    await expect(db.runs.list({}, { cursor: '!', limit: 10 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(db.withKysely(async () => 1)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(dir)).toBe(false);

    await mkdir(dir, { recursive: true });
    await copyFile(fixtureDbFile('v4.2.2'), file);
    const page = await db.runs.list({}, { limit: 2 });
    expect(page.items.map((r) => [r.id, r.run_id])).toEqual([
      [15, '01a1fc6c-c6b1-79c8-ae27-c349219448eb'],
      [14, '01a1fc67-efcc-76f6-9b88-91d9d8b5ee85'],
    ]);
    expect((await db.state.get('manual-ok'))?.updated_at).toBe('2026-11-21T04:40:20.399481');
  });

  it('reads a database without Meltano tables as empty and sees them once the CLI migrates', async () => {
    const file = path.join(tmp.dir, 'meltano.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)');
    const db = track(open(file));
    await expectEmpty(db);

    raw.exec(RUNS_DDL);
    raw
      .prepare('INSERT INTO runs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(
        7,
        'dev:a-to-b',
        'SUCCESS',
        '2026-11-21 05:00:00',
        '2026-11-21 05:00:01.5',
        '{}',
        0,
        'ab'.repeat(16),
        '',
        null,
      );
    // IDLE exists only in memory in Meltano; a row carrying it is no run either.
    raw.prepare("INSERT INTO runs (id, job_name, state) VALUES (8, 'dev:a-to-b', 'IDLE')").run();
    raw.close();
    expect(await db.runs.get(8)).toBeNull();
    expect((await db.runs.list({}, { limit: 10 })).items.map((r) => r.id)).toEqual([7]);
    expect(await db.runs.get(7)).toEqual({
      id: 7,
      state_id: 'dev:a-to-b',
      run_id: 'abababab-abab-abab-abab-abababababab',
      status: 'success',
      meltano_state: 'SUCCESS',
      started_at: '2026-11-21T05:00:00.000000Z',
      ended_at: '2026-11-21T05:00:01.500000Z',
      last_heartbeat_at: null,
      heartbeat_age_seconds: null,
      duration_seconds: 1.5,
      trigger: null,
      error: null,
      payload_flags: 0,
    });
    expect(await db.state.list()).toEqual([]);
  });

  it('follows the file when it is replaced (a new inode)', async () => {
    const file = await copyFixtureDb('v2.20.0', tmp.dir);
    const db = track(open(file));
    expect((await db.runs.get(15))?.run_id).toBe('645b459e-8341-4afb-b46b-9ad3e44c131a');
    const replacement = await copyFixtureDb('v4.2.2', tmp.dir);
    await rename(replacement, file);
    expect((await db.runs.get(15))?.run_id).toBe('01a1fc6c-c6b1-79c8-ae27-c349219448eb');
  });

  it('leaves the journal mode alone and waits on locks outside better-sqlite3 (busy_timeout 0)', async () => {
    const file = await copyFixtureDb('v4.2.2', tmp.dir);
    const journalMode = () => {
      const raw = new Database(file, { readonly: true });
      const mode = raw.pragma('journal_mode', { simple: true });
      raw.close();
      return mode;
    };
    const before = journalMode();
    const db = track(open(file));
    expect((await db.runs.list({}, { limit: 1 })).items).toHaveLength(1);
    expect(journalMode()).toBe(before);
    const pragma = sql<{ timeout: number }>`pragma busy_timeout`;
    // A synchronous wait would stop the event loop; sqlite-locks.test.ts shows the asynchronous one.
    expect(await db.withKysely(async (k) => (await pragma.execute(k)).rows)).toEqual([{ timeout: 0 }]);
  });

  it('reports a file that is not a database as unavailable, and recovers when it becomes one', async () => {
    const file = path.join(tmp.dir, 'meltano.db');
    await copyFile(new URL(import.meta.url), file);
    const db = track(open(file));
    await expect(db.ping()).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(db.runs.list({}, { limit: 5 })).rejects.toThrow(
      /The system database sqlite:\/\/\/.* is unavailable/,
    );
    await rename(await copyFixtureDb('v4.2.2', tmp.dir), file);
    expect((await db.runs.list({}, { limit: 5 })).items).toHaveLength(5);
  });

  it('is unavailable after close()', async () => {
    const db = open(await copyFixtureDb('v4.2.2', tmp.dir));
    expect((await db.runs.get(1))?.state_id).toBe('manual-ok');
    await db.close();
    await expect(db.runs.get(1)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(db.ping()).rejects.toBeInstanceOf(DatabaseUnavailableError);
  });
});
