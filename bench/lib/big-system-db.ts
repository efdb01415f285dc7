// A Meltano system DB at size: `runs` filled by one INSERT … SELECT (a recursive CTE on SQLite,
// generate_series on PostgreSQL), in Meltano's encodings (naive UTC `YYYY-MM-DD HH:MM:SS.ffffff`, run_id
// a UUIDv7 — 32 hex digits on SQLite, native uuid on PostgreSQL — payload in Python's JSON spacing),
// and a `state` row per state ID. The schema is the stand-in's copy of Meltano's (openSystemDb): the UI
// never creates Meltano's tables.
//
// Skewed as real histories are: 10 busy state IDs hold 60% of the rows; 10 "rarely run" ones have 5 runs
// each, all among the oldest rows; the last two pipelines never ran; the rest share what is left (job
// schedules' `prod:` state IDs a little of it). Row `i` starts `i * step` seconds after the first one,
// the newest just before now; ~5% FAIL, every 1009th row a STATE_EDIT (`meltano state set`), a few
// RUNNING rows (the 3 newest with a fresh heartbeat, a few old stale ones).
import { createRequire } from 'node:module';
import { meltanoTimestamp, openSystemDb } from '@meltano-ui/meltano-standin';
import type { BigProject } from './big-project.js';

export interface RunSpread {
  /** State IDs most runs belong to (the first is an ELT schedule's). */
  busy: string[];
  /** State IDs with 5 runs each, all among the oldest rows (the first is an ELT schedule's). */
  rare: string[];
  /** State IDs that share the remaining runs. */
  others: string[];
  /** Schedules with no run at all. */
  neverRun: string[];
}

/** Which state IDs get which share of the runs, chosen across the project's files and kinds. */
export function spreadRuns({ pipelines, prodStateIds }: BigProject): RunSpread {
  const ids = pipelines.map((p) => p.stateIds[0]!);
  const spread: RunSpread = { busy: [], rare: [], others: [], neverRun: ids.slice(-2) };
  const step = Math.floor(ids.length / 10);
  ids.slice(0, -2).forEach((id, i) => {
    if (i % step === 0 && spread.busy.length < 10) spread.busy.push(id);
    else if (i % step === Math.floor(step / 2) && spread.rare.length < 10) spread.rare.push(id);
    else spread.others.push(id);
  });
  spread.others.push(...prodStateIds);
  return spread;
}

const SLOTS = 10_000;
const BUSY_SLOTS = 6_000;
const RARE_RUNS_EACH = 5;
const STATE_EDIT_EVERY = 1009;
/** Newest rows still RUNNING with a fresh heartbeat. */
const RUNNING_NOW = 3;
const STEP_SECONDS = 30;

/** Row → state ID: a row picks slot `(i * 7919) % SLOTS` (7919 is prime, so busy runs interleave in time). */
function slots(spread: RunSpread): string[] {
  const out: string[] = [];
  for (let k = 0; k < BUSY_SLOTS; k++) out.push(spread.busy[k % spread.busy.length]!);
  for (let k = BUSY_SLOTS; k < SLOTS; k++) out.push(spread.others[k % spread.others.length]!);
  return out;
}

/** The same rules in both dialects' SQL (`i` the row id). */
function stateOf(rows: number): string {
  return `CASE WHEN i > ${rows - RUNNING_NOW} THEN 'RUNNING'
    WHEN i % ${STATE_EDIT_EVERY} = 0 THEN 'STATE_EDIT'
    WHEN i % 50021 = 0 THEN 'RUNNING'
    WHEN i % 29 = 0 OR i % 71 = 0 THEN 'FAIL'
    ELSE 'SUCCESS' END`;
}
const DURATION = '(20 + (i * 13) % 900)';
const FAIL_PAYLOAD = `CASE WHEN i % 2 = 0 THEN '{"error": "Extractor failed"}' ELSE '{"error": "Loader failed"}' END`;
const statePayload = (isoTime: string) =>
  `'{"singer_state": {"bookmarks": {"records": {"replication_key": "updated_at", "replication_key_value": "' || ${isoTime} || '"}}}}'`;
const TRIGGER = `CASE WHEN i % 20 = 0 THEN 'ui' ELSE 'cli' END`;

/** Ids of rows that are runs (not STATE_EDIT), evenly spread over the table. */
export function sampleRunIds(rows: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => {
    const id = Math.floor((k * rows) / count) + 1;
    return id % STATE_EDIT_EVERY === 0 ? id + 1 : id;
  });
}

function firstStart(rows: number): number {
  return Math.floor(Date.now() / 1000) - 60 - rows * STEP_SECONDS;
}

const completedState = () =>
  `{"singer_state": {"bookmarks": {"records": {"replication_key": "updated_at", "replication_key_value": "${new Date().toISOString()}"}}}}`;

// better-sqlite3 and pg are core's dependencies, not the bench's: borrowed, with the little typing used.
interface SqliteDb {
  exec(sql: string): void;
  prepare(sql: string): { run(...params: unknown[]): unknown };
  close(): void;
}
interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}
const requireFromCore = createRequire(new URL('../../packages/core/package.json', import.meta.url));
const Sqlite = requireFromCore('better-sqlite3') as new (file: string) => SqliteDb;
const pg = requireFromCore('pg') as { Client: new (opts: { connectionString: string }) => PgClient };

/** Fills a new SQLite system DB at `file` with `rows` runs; the seconds it took. */
export async function fillSqliteSystemDb(file: string, spread: RunSpread, rows: number): Promise<number> {
  const t = performance.now();
  await openSystemDb(`sqlite:///${file}`).close(); // Meltano's schema, WAL on
  const db = new Sqlite(file);
  try {
    // The lookup tables the one INSERT joins (`k` → state ID); `state` is filled from them too.
    const lookup = { slot: slots(spread), rare: spread.rare };
    db.exec(`CREATE TEMP TABLE bench_slots (k INTEGER PRIMARY KEY, state_id TEXT);
      CREATE TEMP TABLE bench_rare (k INTEGER PRIMARY KEY, state_id TEXT);`);
    db.prepare('INSERT INTO bench_slots SELECT key, value FROM json_each(?)').run(
      JSON.stringify(lookup.slot),
    );
    db.prepare('INSERT INTO bench_rare SELECT key, value FROM json_each(?)').run(JSON.stringify(lookup.rare));
    const rareRows = lookup.rare.length * RARE_RUNS_EACH;
    const at = (offset: string) => `strftime('%Y-%m-%d %H:%M:%S', t${offset}, 'unixepoch') || us`;
    const now = meltanoTimestamp(new Date());
    db.exec(`INSERT INTO runs (id, job_name, state, started_at, ended_at, payload, payload_flags, run_id, "trigger", last_heartbeat_at)
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows}),
      r AS (
        SELECT i, coalesce(rare.state_id, slot.state_id) AS job_name, ${stateOf(rows)} AS state,
          ${firstStart(rows)} + i * ${STEP_SECONDS} AS t, ${DURATION} AS secs,
          printf('.%06d', (i * 7717) % 1000000) AS us
        FROM n
        LEFT JOIN bench_rare AS rare ON i <= ${rareRows} AND rare.k = (i - 1) % ${lookup.rare.length}
        LEFT JOIN bench_slots AS slot ON i > ${rareRows} AND slot.k = (i * 7919) % ${SLOTS}
      )
      SELECT i, job_name, state, ${at('')},
        CASE state WHEN 'RUNNING' THEN NULL WHEN 'STATE_EDIT' THEN ${at('')} ELSE ${at(' + secs')} END,
        CASE state WHEN 'FAIL' THEN ${FAIL_PAYLOAD} WHEN 'RUNNING' THEN '{}'
          ELSE ${statePayload(`strftime('%Y-%m-%dT%H:%M:%S+00:00', t, 'unixepoch')`)} END,
        CASE WHEN state IN ('SUCCESS', 'STATE_EDIT') THEN 1 ELSE 0 END,
        lower(printf('%012x', t * 1000) || '7' || substr(hex(randomblob(2)), 2)
          || substr('89ab', 1 + i % 4, 1) || substr(hex(randomblob(8)), 2)),
        ${TRIGGER},
        CASE WHEN i > ${rows - RUNNING_NOW} THEN '${now}' WHEN state = 'STATE_EDIT' THEN NULL
          ELSE ${at(' + secs - 1')} END
      FROM r`);
    db.prepare(
      `INSERT INTO state (state_id, partial_state, completed_state, updated_at)
       SELECT state_id, '{}', ?, ? FROM (SELECT state_id FROM bench_slots UNION SELECT state_id FROM bench_rare)`,
    ).run(completedState(), now);
  } finally {
    db.close();
  }
  return (performance.now() - t) / 1000;
}

const PG_ADMIN_URL = process.env.MELTANO_UI_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface ScratchPostgres {
  url: string;
  drop(): Promise<void>;
}

/** A new, empty PostgreSQL database of its own (`MELTANO_UI_TEST_PG_URL` names the server). */
export async function createScratchPostgres(name: string): Promise<ScratchPostgres> {
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`).catch(async (error: unknown) => {
    await admin.end();
    throw error;
  });
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Fills the empty PostgreSQL database at `url` with `rows` runs; the seconds it took. */
export async function fillPostgresSystemDb(url: string, spread: RunSpread, rows: number): Promise<number> {
  const t = performance.now();
  const standin = openSystemDb(url); // Meltano's schema, on its first query
  await standin.runningRows('none');
  await standin.close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const lookup = { slot: slots(spread), rare: spread.rare };
    await client.query(`CREATE TEMP TABLE bench_slots (k integer PRIMARY KEY, state_id varchar);
      CREATE TEMP TABLE bench_rare (k integer PRIMARY KEY, state_id varchar)`);
    await client.query(
      'INSERT INTO bench_slots SELECT k - 1, s FROM unnest($1::varchar[]) WITH ORDINALITY AS u(s, k)',
      [lookup.slot],
    );
    await client.query(
      'INSERT INTO bench_rare SELECT k - 1, s FROM unnest($1::varchar[]) WITH ORDINALITY AS u(s, k)',
      [lookup.rare],
    );
    const rareRows = lookup.rare.length * RARE_RUNS_EACH;
    const now = meltanoTimestamp(new Date());
    await client.query(`INSERT INTO runs (id, job_name, state, started_at, ended_at, payload, payload_flags, run_id, "trigger", last_heartbeat_at)
      SELECT i, job_name, state, started,
        CASE state WHEN 'RUNNING' THEN NULL WHEN 'STATE_EDIT' THEN started ELSE started + secs * interval '1 second' END,
        CASE state WHEN 'FAIL' THEN ${FAIL_PAYLOAD} WHEN 'RUNNING' THEN '{}'
          ELSE ${statePayload(`to_char(started, 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"')`)} END,
        CASE WHEN state IN ('SUCCESS', 'STATE_EDIT') THEN 1 ELSE 0 END,
        (lpad(to_hex(t * 1000), 12, '0') || '7' || substr(h, 1, 3) || substr('89ab', 1 + (i % 4)::int, 1)
          || substr(h, 4, 15))::uuid,
        ${TRIGGER},
        CASE WHEN i > ${rows - RUNNING_NOW} THEN timestamp '${now}' WHEN state = 'STATE_EDIT' THEN NULL
          ELSE started + (secs - 1) * interval '1 second' END
      FROM (
        SELECT i, coalesce(rare.state_id, slot.state_id) AS job_name, ${stateOf(rows)} AS state,
          ${firstStart(rows)} + i * ${STEP_SECONDS} AS t, ${DURATION} AS secs, md5(i::text) AS h,
          (to_timestamp(${firstStart(rows)} + i * ${STEP_SECONDS}) AT TIME ZONE 'UTC')
            + ((i * 7717) % 1000000) * interval '1 microsecond' AS started
        FROM generate_series(1::bigint, ${rows}) AS i
        LEFT JOIN bench_rare AS rare ON i <= ${rareRows} AND rare.k = (i - 1) % ${lookup.rare.length}
        LEFT JOIN bench_slots AS slot ON i > ${rareRows} AND slot.k = (i * 7919) % ${SLOTS}
      ) AS r`);
    await client.query(`SELECT setval('job_id_seq', ${rows})`);
    await client.query(
      `INSERT INTO state (state_id, partial_state, completed_state, updated_at)
       SELECT state_id, '{}', $1, $2 FROM (SELECT state_id FROM bench_slots UNION SELECT state_id FROM bench_rare) AS s`,
      [completedState(), now],
    );
    // What autovacuum does to a table that grew over months: without it the first reads pay for the
    // bulk load's hint bits and the planner has no statistics.
    await client.query('VACUUM ANALYZE runs');
  } finally {
    await client.end();
  }
  return (performance.now() - t) / 1000;
}
