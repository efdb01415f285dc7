import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUri } from '../../src/db/database-uri.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import { DatabaseUnavailableError } from '../../src/errors.js';
import { copyFixtureDb, type TempDir, tempDir } from '../support/fixtures.js';
import { createTestPostgres, type TestPostgres, withClient } from '../support/postgres.js';

const ctx = { projectRoot: '/', cwd: '/', sysDir: '/' };
const now = () => new Date('2026-11-21T06:00:00Z');
const V2_RUN_15 = '645b459e-8341-4afb-b46b-9ad3e44c131a';
const V4_RUN_15 = '01a1fc6c-c6b1-79c8-ae27-c349219448eb';

describe('SystemDatabase on PostgreSQL', () => {
  let pgdb: TestPostgres;
  let tmp: TempDir;
  const opened: SystemDatabase[] = [];
  const open = (uri: string) => {
    const db = openSystemDatabase(parseDatabaseUri(uri, ctx), { now });
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    tmp = await tempDir();
    pgdb = await createTestPostgres();
    // public holds v2.20.0's rows, schema meltano_sys v4.2.2's: which one is read proves the search_path.
    await pgdb.createMeltanoSchema();
    await pgdb.loadFromSqlite(await copyFixtureDb('v2.20.0', tmp.dir));
    await pgdb.createMeltanoSchema('meltano_sys');
    await pgdb.loadFromSqlite(await copyFixtureDb('v4.2.2', tmp.dir), 'meltano_sys');
    await pgdb.query('CREATE SCHEMA empty_schema');
  });
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await pgdb?.drop();
    await tmp?.cleanup();
  });

  it('created the tables with the types Meltano has on PostgreSQL', async () => {
    const { rows } = await pgdb.query(
      `select column_name, data_type from information_schema.columns
       where table_schema = 'public' and table_name = 'runs' order by ordinal_position`,
    );
    expect(rows.map((r) => `${r.column_name} ${r.data_type}`)).toEqual([
      'id integer',
      'job_name character varying',
      'state character varying',
      'started_at timestamp without time zone',
      'ended_at timestamp without time zone',
      'payload character varying',
      'payload_flags integer',
      'run_id uuid',
      'trigger character varying',
      'last_heartbeat_at timestamp without time zone',
    ]);
    const names = await pgdb.query(
      `select (select conname from pg_constraint where conrelid = 'public.runs'::regclass) as pkey,
              pg_get_serial_sequence('public.runs', 'id') as seq`,
    );
    expect(names.rows).toEqual([{ pkey: 'job_pkey', seq: 'public.job_id_seq' }]);
  });

  it('reads the tables of the schema named by ?options=-csearch_path%3D…', async () => {
    const inSchema = open(pgdb.uri('meltano_sys'));
    const inPublic = open(pgdb.uri());
    expect((await inSchema.runs.get(15))?.run_id).toBe(V4_RUN_15);
    expect((await inPublic.runs.get(15))?.run_id).toBe(V2_RUN_15);
    expect((await inSchema.state.get('manual-ok'))?.updated_at).toBe('2026-11-21T04:40:20.399481');
    expect((await inSchema.runs.stateIdSummaries()).map((s) => s.state_id)).toContain('killed-stale');
    const empty = open(pgdb.uri('empty_schema'));
    expect(await empty.runs.list({}, { limit: 10 })).toEqual({ items: [], next_cursor: null });
    expect(await empty.state.list()).toEqual([]);
    await expect(empty.ping()).resolves.toBeUndefined();
  });

  it('reads timestamp without time zone as UTC text with 6-digit microseconds, without touching pg globally', async () => {
    const db = open(pgdb.uri('meltano_sys'));
    // 04:39:57.606650 comes back from PostgreSQL as "04:39:57.60665".
    expect((await db.runs.get(6))?.last_heartbeat_at).toBe('2026-11-21T04:39:57.606650Z');
    const raw = await db.withKysely(
      async (k) =>
        (await sql<{ t: unknown }>`select '2026-11-21 04:39:06.94026'::timestamp as t`.execute(k)).rows,
    );
    expect(raw).toEqual([{ t: '2026-11-21 04:39:06.94026' }]);
    const global = await withClient(pgdb.uri(), (c) =>
      c.query("select '2026-11-21 04:39:06'::timestamp as t"),
    );
    expect(global.rows[0].t).toBeInstanceOf(Date);
    expect(pg.types.getTypeParser(1114)('2026-11-21 04:39:06')).toBeInstanceOf(Date);
  });

  it('recovers after its connections are killed (pg_terminate_backend)', async () => {
    const db = open(pgdb.uri('meltano_sys'));
    await Promise.all([db.runs.get(1), db.runs.list({}, { limit: 5 }), db.state.list()]);
    const killed = await pgdb.query(
      "select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = $1 and application_name = 'meltano-ui' and pid <> pg_backend_pid()",
      [pgdb.database],
    );
    expect(killed.rows.length).toBeGreaterThan(0);
    // A read that meets a cut connection retries once on a fresh pool, so even the first call works.
    expect((await db.runs.get(15))?.run_id).toBe(V4_RUN_15);
    expect((await db.runs.list({}, { limit: 500 })).items).toHaveLength(13);
    await expect(db.ping()).resolves.toBeUndefined();
  });

  it('survives repeated kills, including kills in the middle of a burst of reads', async () => {
    const db = open(pgdb.uri('meltano_sys'));
    for (let round = 0; round < 5; round++) {
      await Promise.all(Array.from({ length: 6 }, () => db.runs.list({}, { limit: 3 })));
      const reads = Array.from({ length: 6 }, () => db.runs.recentByStateId(['manual-ok'], 20));
      await pgdb.query(
        "select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and application_name = 'meltano-ui'",
        [pgdb.database],
      );
      const settled = await Promise.allSettled(reads);
      for (const outcome of settled) {
        if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(DatabaseUnavailableError);
        else expect(outcome.value.get('manual-ok')?.map((r) => r.id)).toEqual([2, 1]);
      }
      expect((await db.runs.get(14))?.state_id).toBe('killed-stale');
    }
  });

  it('reports an unreachable server as DatabaseUnavailableError without leaking the password', async () => {
    const db = open('postgresql+psycopg://meltano:s3cret-pw@127.0.0.1:1/meltano');
    expect(db.display).toBe('postgresql+psycopg://meltano:****@127.0.0.1:1/meltano');
    const error = await db.ping().catch((err: unknown) => err);
    expect(error).toBeInstanceOf(DatabaseUnavailableError);
    expect(String((error as Error).message)).toContain(
      'postgresql+psycopg://meltano:****@127.0.0.1:1/meltano',
    );
    expect(String((error as Error).message)).not.toContain('s3cret');
    await expect(db.runs.list({}, { limit: 10 })).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(db.state.get('x')).rejects.toBeInstanceOf(DatabaseUnavailableError);
  });

  it('lets withKysely errors of the caller pass through', async () => {
    const db = open(pgdb.uri());
    await expect(
      db.withKysely(async (k) => sql`select * from no_such_ui_table`.execute(k)),
    ).rejects.toMatchObject({
      code: '42P01',
    });
    expect(
      await db.withKysely(async (k) => (await sql<{ n: number }>`select 1 as n`.execute(k)).rows),
    ).toEqual([{ n: 1 }]);
  });
});
