// The pipelines page at size: Meltano's large_config_project (153 ELT schedules, include file) over
// 1,000,000 runs, served by the real server on SQLite and on PostgreSQL. Prints the cold request (the
// run summary's full pass), warm requests, requests after 100 new runs, the old direct queries and a
// bare Fastify route in the same process. Asserts nothing.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { openCoreContext } from '@meltano-ui/core';
import { meltanoTimestamp, openSystemDb, uuid7Hex } from '@meltano-ui/meltano-standin';
import { buildServer } from '@meltano-ui/server';
import Fastify from 'fastify';
import {
  HAS_REAL_PROJECTS,
  REAL_PROJECTS,
  REAL_PROJECTS_SKIPPED,
} from '../test-fixtures/fixture-locations.mjs';

const RUNS = 1_000_000;
const NEW_RUNS = 100;
const WARM = 20;
const MiB = 1024 * 1024;
if (!HAS_REAL_PROJECTS)
  throw new Error(`this bench needs the third-party projects: ${REAL_PROJECTS_SKIPPED}`);
const FIXTURE = path.join(REAL_PROJECTS, 'meltano__meltano', 'tests', 'fixtures', 'large_config_project');
const PG_ADMIN_URL = process.env.MELTANO_UI_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const INSERT_RUN = `INSERT INTO runs (id, job_name, state, started_at, ended_at, payload, payload_flags, run_id, "trigger", last_heartbeat_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

// better-sqlite3 and pg are core's dependencies, not the bench's: borrowed, with the little typing used.
interface Statement {
  run(...params: unknown[]): unknown;
  all(...params: unknown[]): Record<string, unknown>[];
}
interface SqliteDb {
  prepare(sql: string): Statement;
  transaction(fn: () => void): () => void;
  close(): void;
}
interface PgClient {
  connect(): Promise<void>;
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}
const requireFromCore = createRequire(new URL('../packages/core/package.json', import.meta.url));
const Sqlite = requireFromCore('better-sqlite3') as new (file: string) => SqliteDb;
const pg = requireFromCore('pg') as { Client: new (opts: { connectionString: string }) => PgClient };

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pipelines-1m-'));
const dbFile = path.join(root, '.meltano', 'meltano.db');
// gc() without --expose-gc on the command line, so the heap figures are live data, not garbage.
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
function memory(): string {
  gc();
  const { rss, heapUsed } = process.memoryUsage();
  return `heap used ${(heapUsed / MiB).toFixed(0)} MiB, RSS ${(rss / MiB).toFixed(0)} MiB`;
}
const ms = (t: number) => `${t.toFixed(1)} ms`;

function copyProject(): string[] {
  for (const file of ['meltano.yml', 'schedule.yml']) {
    fs.copyFileSync(path.join(FIXTURE, file), path.join(root, file));
    fs.chmodSync(path.join(root, file), 0o644);
  }
  return [...fs.readFileSync(path.join(root, 'schedule.yml'), 'utf8').matchAll(/^- name: (.+)$/gm)].map((m) =>
    m[1]!.trim(),
  );
}

/**
 * 1M rows over the schedules' state IDs and 47 unscheduled ones. Three schedules ran only in the
 * first thousand rows and one never ran: the state IDs that cost the direct queries a full scan.
 * Every 97th run fails with an error, every 1000th row is a STATE_EDIT, a few RUNNING rows are stale.
 */
async function writeRuns(schedules: string[]): Promise<string[]> {
  const standin = openSystemDb(`sqlite:///${dbFile}`); // creates Meltano's schema
  await standin.close();
  const rare = schedules.slice(-4, -1);
  const busy = [
    ...schedules.slice(0, -4),
    ...Array.from({ length: 47 }, (_, i) => `dev:tap-adhoc-${i}-to-target-x`),
  ];
  const db = new Sqlite(dbFile);
  const insert = db.prepare(INSERT_RUN);
  const start = Date.now() - RUNS * 30_000;
  db.transaction(() => {
    for (let id = 1; id <= RUNS; id++) {
      const at = new Date(start + id * 30_000);
      const end = new Date(at.getTime() + 20_000);
      const jobName = id <= 1000 && id % 10 === 0 ? rare[id % 3]! : busy[id % busy.length]!;
      const state =
        id % 1000 === 0 ? 'STATE_EDIT' : id % 100_000 === 1 ? 'RUNNING' : id % 97 === 0 ? 'FAIL' : 'SUCCESS';
      const payload =
        state === 'FAIL'
          ? '{"error": "Extractor failed"}'
          : `{"singer_state": {"bookmarks": {"orders": {"replication_key_value": "${at.toISOString()}"}}}}`;
      const ended = state === 'RUNNING' ? null : meltanoTimestamp(end);
      insert.run(
        id,
        jobName,
        state,
        meltanoTimestamp(at),
        ended,
        payload,
        1,
        uuid7Hex(at),
        'scheduler',
        ended,
      );
    }
  })();
  db.close();
  return rare;
}

function newRunRows(fromId: number) {
  return Array.from({ length: NEW_RUNS }, (_, i) => {
    const at = new Date(Date.now() - (NEW_RUNS - i) * 1000);
    return [
      fromId + i,
      `fixed_schedule_2022-08-0${(i % 9) + 1}`,
      'SUCCESS',
      meltanoTimestamp(at),
      meltanoTimestamp(new Date(at.getTime() + 500)),
      '{}',
      0,
      uuid7Hex(at),
      'cli',
      meltanoTimestamp(at),
    ] as const;
  });
}

/** The same rows into a scratch PostgreSQL database, 50k at a time through unnest(). */
async function copyToPostgres(client: PgClient): Promise<void> {
  const standin = openSystemDb(pgUrl(scratchDb)); // creates Meltano's schema
  await standin.runningRows('none');
  await standin.close();
  const db = new Sqlite(dbFile);
  const select = db.prepare(`SELECT * FROM runs WHERE id > ? AND id <= ${RUNS} ORDER BY id LIMIT 50000`);
  for (let after = 0; ; ) {
    const rows = select.all(after);
    if (rows.length === 0) break;
    const col = (name: string) => rows.map((r) => r[name]);
    await client.query(
      `INSERT INTO runs (id, job_name, state, started_at, ended_at, payload, payload_flags, run_id, "trigger", last_heartbeat_at)
       SELECT * FROM unnest($1::int[], $2::varchar[], $3::varchar[], $4::timestamp[], $5::timestamp[], $6::varchar[],
                            $7::int[], $8::uuid[], $9::varchar[], $10::timestamp[])`,
      [
        'id',
        'job_name',
        'state',
        'started_at',
        'ended_at',
        'payload',
        'payload_flags',
        'run_id',
        'trigger',
        'last_heartbeat_at',
      ].map(col),
    );
    after = Number(rows.at(-1)!.id);
  }
  db.close();
  await client.query(`SELECT setval('job_id_seq', (SELECT max(id) FROM runs))`);
}

const scratchDb = `meltano_ui_bench_${process.pid}`;
function pgUrl(database: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function timeRequests(label: string, n: number, fn: () => Promise<unknown>): Promise<void> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(
    `  ${label.padEnd(52)} median ${ms(times[Math.floor(n / 2)]!).padStart(9)}   max ${ms(times.at(-1)!).padStart(9)}`,
  );
}

async function measure(
  dialect: 'sqlite' | 'postgres',
  databaseUri: string | null,
  schedules: string[],
  insertNew: (fromId: number) => Promise<void>,
) {
  console.log(`\n${dialect} (before boot: ${memory()})`);
  const boot = performance.now();
  // openCoreContext starts the run summary's full pass in the background.
  const core = await openCoreContext({ projectRoot: root, databaseUri, env: {}, homeDir: root });
  const server = await buildServer({ core, webRoot: null });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  const get = (p: string) => fetch(`${url}${p}`).then((r) => r.text());
  // How long the pass holds the event loop: watched until the pass (and the sync queued behind it) ends,
  // before the cold response is built (its first serialisation compiles the response schemas).
  const loopDelay = monitorEventLoopDelay({ resolution: 1 });
  loopDelay.enable();
  const passDone = core.db.runs.warmUp().then(() => loopDelay.disable());

  const t = performance.now();
  const body = await get('/api/v1/schedules');
  const cold = performance.now() - t;
  await passDone;
  const listed = (JSON.parse(body) as { schedules: { name: string; totals: { total: number } }[] }).schedules;
  console.log(
    `  cold GET /api/v1/schedules (full pass of ${RUNS} rows)        ${ms(cold).padStart(9)}   (${ms(performance.now() - boot)} since boot; ${listed.length} schedules, ${(body.length / 1024).toFixed(0)} KiB)`,
  );
  console.log(
    `  event loop while the pass ran (after listen): max delay ${ms(loopDelay.max / 1e6)}, p99 ${ms(loopDelay.percentile(99) / 1e6)}`,
  );

  await timeRequests(`warm GET /api/v1/schedules (${WARM}×)`, WARM, () => get('/api/v1/schedules'));
  await timeRequests(`warm GET /api/v1/state (${WARM}×)`, WARM, () => get('/api/v1/state'));
  await insertNew(RUNS + 1);
  const afterInsert = performance.now();
  const fresh = JSON.parse(await get('/api/v1/schedules')) as {
    schedules: { name: string; latest_run: { id: number } | null }[];
  };
  console.log(
    `  first GET /api/v1/schedules after ${NEW_RUNS} new runs                 ${ms(performance.now() - afterInsert).padStart(9)}   (newest latest_run id ${Math.max(...fresh.schedules.map((s) => s.latest_run?.id ?? 0))}, expected ${RUNS + NEW_RUNS})`,
  );
  await timeRequests(`warm GET /api/v1/schedules after the insert (${WARM}×)`, WARM, () =>
    get('/api/v1/schedules'),
  );
  console.log(`  memory with the server up and warm: ${memory()}`);

  // What every request cost before the run summary: the three direct queries for the same state IDs.
  const d = performance.now();
  await Promise.all([
    core.db.runs.latestByStateId(schedules),
    core.db.runs.recentByStateId(schedules, 20),
    core.db.runs.stats(schedules),
  ]);
  console.log(
    `  old path: direct latest/recent/stats queries (1×)              ${ms(performance.now() - d).padStart(9)}`,
  );
  await server.close();
  await core.close();
}

try {
  const schedules = copyProject();
  let t = performance.now();
  const rare = await writeRuns(schedules);
  console.log(
    `large_config_project: ${schedules.length} schedules; ${RUNS} runs generated in ${((performance.now() - t) / 1000).toFixed(1)} s (rare: ${rare.join(', ')}; never run: ${schedules.at(-1)}); node ${process.version}`,
  );

  const bare = Fastify();
  bare.get('/health', async () => ({ healthy: true }));
  const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });
  console.log('\nbaseline');
  await timeRequests(`bare Fastify GET /health (${WARM}×)`, WARM, () =>
    fetch(`${bareUrl}/health`).then((r) => r.json()),
  );
  await bare.close();

  await measure('sqlite', null, schedules, async (fromId) => {
    const db = new Sqlite(dbFile);
    const insert = db.prepare(INSERT_RUN);
    db.transaction(() => {
      for (const row of newRunRows(fromId)) insert.run(...row);
    })();
    db.close();
  });

  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${scratchDb}`);
  const client = new pg.Client({ connectionString: pgUrl(scratchDb) });
  try {
    await client.connect();
    t = performance.now();
    await copyToPostgres(client);
    console.log(`\ncopied ${RUNS} runs to PostgreSQL in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    await measure('postgres', pgUrl(scratchDb), schedules, async (fromId) => {
      let n = 0;
      const insert = INSERT_RUN.replace(/\?/g, () => `$${++n}`);
      for (const row of newRunRows(fromId)) await client.query(insert, [...row]);
    });
  } finally {
    await client.end();
    await admin.query(`DROP DATABASE IF EXISTS ${scratchDb} WITH (FORCE)`);
    await admin.end();
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
