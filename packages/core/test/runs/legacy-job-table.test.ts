import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUri } from '../../src/db/database-uri.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import { DIALECTS, type TestDialect } from '../support/backends.js';
import { type TempDir, tempDir } from '../support/fixtures.js';
import { createTestPostgres, type TestPostgres } from '../support/postgres.js';

/**
 * Meltano before 2.2 (alembic 13e8639c6d2b and older): the runs live in `job`, the state ID is
 * `job_id`, there is no `state` table, and the oldest heads lack `trigger` and `last_heartbeat_at`.
 * This scratch database is ours; it mimics that shape on both dialects.
 */
const CLOCK = new Date('2026-11-21T12:00:00Z');
const ROWS: [number, string, string, string, string | null, string, number, string][] = [
  [
    1,
    'old-elt',
    'SUCCESS',
    '2026-11-20 10:00:00.000001',
    '2026-11-20 10:00:30.5',
    '{}',
    1,
    '0123456789abcdef0123456789abcdef',
  ],
  [
    2,
    'old-elt',
    'FAIL',
    '2026-11-20 11:00:00',
    '2026-11-20 11:00:02',
    '{"error": "boom"}',
    0,
    'fedcba9876543210fedcba9876543210',
  ],
  [
    3,
    'old-elt',
    'STATE_EDIT',
    '2026-11-20 12:00:00',
    '2026-11-20 12:00:00',
    '{"singer_state": {}}',
    1,
    '11111111111111111111111111111111',
  ],
  [4, 'running-recent', 'RUNNING', '2026-11-21 10:00:00', null, '{}', 0, '22222222222222222222222222222222'],
  [5, 'running-old', 'RUNNING', '2026-11-20 11:00:00', null, '{}', 0, '33333333333333333333333333333333'],
];

async function sqliteLegacy(dir: string): Promise<string> {
  const file = path.join(dir, 'meltano.db');
  const db = new Database(file);
  db.exec(`CREATE TABLE job (id INTEGER NOT NULL, job_id VARCHAR, state VARCHAR(10), started_at DATETIME,
    ended_at DATETIME, payload VARCHAR, payload_flags INTEGER, run_id CHAR(32), PRIMARY KEY (id))`);
  const insert = db.prepare('INSERT INTO job VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (const row of ROWS) insert.run(...row);
  db.close();
  return `sqlite:///${file}`;
}

async function postgresLegacy(pg: TestPostgres): Promise<string> {
  await pg.query('CREATE SCHEMA legacy');
  await pg.query(`CREATE TABLE legacy.job (id serial PRIMARY KEY, job_id varchar, state varchar,
    started_at timestamp without time zone, ended_at timestamp without time zone, payload varchar,
    payload_flags integer, run_id uuid)`);
  for (const row of ROWS)
    await pg.query('INSERT INTO legacy.job VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', row);
  return pg.uri('legacy');
}

describe.each(DIALECTS)('a pre-2.2 `job` table on %s', (dialect: TestDialect) => {
  let tmp: TempDir;
  let pg: TestPostgres | null = null;
  let db: SystemDatabase;

  beforeAll(async () => {
    tmp = await tempDir();
    let uri: string;
    if (dialect === 'sqlite') uri = await sqliteLegacy(tmp.dir);
    else {
      pg = await createTestPostgres();
      uri = await postgresLegacy(pg);
    }
    db = openSystemDatabase(parseDatabaseUri(uri, { projectRoot: '/', cwd: '/', sysDir: '/' }), {
      now: () => CLOCK,
    });
  });
  afterAll(async () => {
    await db?.close();
    await pg?.drop();
    await tmp?.cleanup();
  });

  it('reads job_id as the state ID and absent columns as null', async () => {
    const { items } = await db.runs.list({}, { limit: 10 });
    expect(items.map((r) => [r.id, r.state_id, r.status, r.trigger, r.last_heartbeat_at])).toEqual([
      [5, 'running-old', 'stale', null, null],
      [4, 'running-recent', 'running', null, null],
      [2, 'old-elt', 'failed', null, null],
      [1, 'old-elt', 'success', null, null],
    ]);
    expect(await db.runs.get(1)).toEqual({
      id: 1,
      state_id: 'old-elt',
      run_id: '01234567-89ab-cdef-0123-456789abcdef',
      status: 'success',
      meltano_state: 'SUCCESS',
      started_at: '2026-11-20T10:00:00.000001Z',
      ended_at: '2026-11-20T10:00:30.500000Z',
      last_heartbeat_at: null,
      heartbeat_age_seconds: null,
      duration_seconds: 30.499999,
      trigger: null,
      error: null,
      payload_flags: 1,
    });
    expect((await db.runs.get(2))?.error).toBe('boom');
    expect(await db.runs.get(3)).toBeNull();
  });

  it('applies the 24-hour rule to RUNNING rows without heartbeat, in SQL and in the view alike', async () => {
    expect((await db.runs.get(4))?.heartbeat_age_seconds).toBe(7200);
    expect((await db.runs.get(5))?.heartbeat_age_seconds).toBe(25 * 3600);
    expect((await db.runs.list({ statuses: ['running'] }, { limit: 10 })).items.map((r) => r.id)).toEqual([
      4,
    ]);
    expect((await db.runs.list({ statuses: ['stale'] }, { limit: 10 })).items.map((r) => r.id)).toEqual([5]);
  });

  it('answers the pipeline queries and has no state table', async () => {
    expect(new Map([...(await db.runs.latestByStateId())].map(([k, v]) => [k, v.id]))).toEqual(
      new Map([
        ['running-old', 5],
        ['running-recent', 4],
        ['old-elt', 2],
      ]),
    );
    expect((await db.runs.recentByStateId(['old-elt'], 20)).get('old-elt')?.map((r) => r.id)).toEqual([2, 1]);
    expect(await db.runs.stats(['old-elt', 'running-old'])).toEqual(
      new Map([
        ['old-elt', { total: 2, succeeded: 1, failed: 1 }],
        ['running-old', { total: 0, succeeded: 0, failed: 0 }],
      ]),
    );
    expect((await db.runs.stateIdSummaries()).map((s) => [s.state_id, s.run_count])).toEqual([
      ['running-old', 1],
      ['running-recent', 1],
      ['old-elt', 2],
    ]);
    expect(await db.state.list()).toEqual([]);
    expect(await db.state.get('old-elt')).toBeNull();
  });
});
