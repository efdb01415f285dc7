// The pipelines pages at size on the built UI (`meltano ui`, authentication on, a viewer signed in): a
// project with 500 schedules over include files and both schedule shapes, over a system DB of 1,000,000
// runs (100,000 with --quick) skewed onto a few busy pipelines, on SQLite and then on PostgreSQL. The
// viewer signed in and opened the list on an earlier start (whatever the UI sets up in the DB is done);
// on a new start: spawn → the first 200 from the pipelines list (GET /api/v1/schedules, the SPA's
// pipelines page) and that first request alone once health answers; the list's latency one request
// after another and its size; the run history page (GET /api/v1/runs?state_id=…&limit=50, as a
// pipeline's page asks it) of a busy pipeline and of a rarely-run one (its 5 runs are among the oldest
// rows); one run by id. Baselines: a bare Fastify hello-world, spawned and asked the same way.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeBigProject } from './lib/big-project.js';
import {
  createScratchPostgres,
  fillPostgresSystemDb,
  fillSqliteSystemDb,
  type RunSpread,
  sampleRunIds,
  spreadRuns,
} from './lib/big-system-db.js';
import { type Latencies, percentiles, sequentialLatency, timedGet } from './lib/load.js';
import { pick } from './lib/options.js';
import { report } from './lib/report.js';
import { addUser, type BareServer, requireBuild, startBareFastify, uiEnv } from './lib/servers.js';
import { coldAnswer, earlierVisit } from './lib/ui-boot.js';

const SCHEDULES = 500;
const RUNS = pick(1_000_000, 100_000);
const REQUESTS = pick(200, 50);
/** Requests sent before each series is timed (connection, JIT, the route's serializer compiled on first use). */
const WARM_UP = 5;
const VIEWER = { username: 'bench-viewer', password: 'bench-viewer-password' };
const runsLabel = RUNS >= 1_000_000 ? `${RUNS / 1_000_000}M runs` : `${RUNS / 1000}k runs`;

requireBuild();
const bare = await startBareFastify();
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-pipelines-'));

/** Spawn → the first 200 of a bare Fastify hello-world (its "listening" line, then one GET). */
async function bareColdStart(): Promise<number> {
  const t = performance.now();
  const server = await startBareFastify();
  await timedGet(server.url);
  const ms = performance.now() - t;
  await server.stop();
  return ms;
}

/** One GET after another over `urls` after a warm-up, each answered in full; throws on a non-2xx. */
async function latencyOver(urls: string[], headers: Record<string, string> = {}): Promise<Latencies> {
  for (const url of urls.slice(0, WARM_UP)) await timedGet(url, headers);
  const times: number[] = [];
  for (const url of urls) times.push(await timedGet(url, headers));
  return percentiles(times);
}

/** REQUESTS sequential GETs of one URL after a warm-up. */
async function latencyOf(url: string, headers: Record<string, string> = {}): Promise<Latencies> {
  await sequentialLatency(url, WARM_UP, headers);
  return sequentialLatency(url, REQUESTS, headers);
}

function reportLatency(what: string, ui: Latencies, bare: Latencies, target?: string): void {
  for (const q of ['p50', 'p99'] as const) {
    report({
      name: `${what} ${q} (${ui.count} sequential)`,
      value: ui[q],
      unit: 'ms',
      better: 'lower',
      baseline: { name: 'bare Fastify', value: bare[q] },
      ...(q === 'p99' && target ? { target } : {}),
    });
  }
}

async function measure(dialect: string, databaseUri: string, spread: RunSpread, bare: BareServer) {
  const env = uiEnv({ MELTANO_DATABASE_URI: databaseUri });
  try {
    await measureWith(dialect, env, spread, bare);
  } finally {
    fs.rmSync(env.HOME!, { recursive: true, force: true });
  }
}

async function measureWith(dialect: string, env: NodeJS.ProcessEnv, spread: RunSpread, bare: BareServer) {
  addUser(root, env, VIEWER.username, VIEWER.password, 'viewer');
  const earlier = await earlierVisit(root, env, VIEWER, '/api/v1/schedules');
  const { cookie } = earlier;
  const headers = { cookie };
  const label = `${dialect}, ${SCHEDULES} schedules, ${runsLabel}`;
  console.log(
    `${dialect}: the first start over this DB answered its first list (after sign-in) in ${earlier.firstMs.toFixed(0)} ms`,
  );

  const bareSpawn = await bareColdStart();
  const cold = await coldAnswer(root, env, '/api/v1/schedules', cookie);
  const { ui } = cold;
  try {
    const listed = (JSON.parse(cold.body) as { schedules: { name: string }[] }).schedules;
    if (listed.length !== SCHEDULES) throw new Error(`the list holds ${listed.length} schedules`);
    const size = Buffer.byteLength(cold.body) / 1024;
    console.log(
      `${dialect}: health after ${cold.healthMs.toFixed(0)} ms, the first list ${cold.firstMs.toFixed(0)} ms later ` +
        `(${listed.length} schedules, ${size.toFixed(0)} KiB); bare Fastify spawn → 200 ${bareSpawn.toFixed(0)} ms`,
    );
    report({
      name: `${label}: spawn → first 200 from GET /api/v1/schedules`,
      value: cold.healthMs + cold.firstMs,
      unit: 'ms',
      better: 'lower',
      baseline: { name: 'bare Fastify spawn → 200', value: bareSpawn },
    });
    report({
      name: `${label}: first GET /api/v1/schedules alone, once health answers`,
      value: cold.firstMs,
      unit: 'ms',
      better: 'lower',
      target: '< 500 ms',
    });
    report({
      name: `${label}: GET /api/v1/schedules answer size`,
      value: size,
      unit: 'KiB',
      better: 'lower',
    });

    const api = `${ui.url}/api/v1`;
    const history = (stateId: string) => `${api}/runs?state_id=${encodeURIComponent(stateId)}&limit=50`;
    for (const [kind, stateId] of [
      ['busy', spread.busy[0]!],
      ['rarely-run', spread.rare[0]!],
    ] as const) {
      const res = await fetch(history(stateId), { headers });
      if (!res.ok) throw new Error(`GET ${history(stateId)} answered ${res.status}`);
      const page = (await res.json()) as { items: unknown[] };
      console.log(`${dialect}: the ${kind} pipeline ${stateId}: ${page.items.length} runs on its first page`);
    }

    const bareLatency = await latencyOf(bare.url);
    reportLatency(
      `${label}: GET /api/v1/schedules`,
      await latencyOf(`${api}/schedules`, headers),
      bareLatency,
      '< 50 ms',
    );
    reportLatency(
      `${label}: run history of a busy pipeline`,
      await latencyOf(history(spread.busy[0]!), headers),
      bareLatency,
      '< 20 ms',
    );
    reportLatency(
      `${label}: run history of a rarely-run pipeline`,
      await latencyOf(history(spread.rare[0]!), headers),
      bareLatency,
      '< 20 ms',
    );
    const byId = sampleRunIds(RUNS, REQUESTS).map((id) => `${api}/runs/${id}`);
    reportLatency(
      `${label}: GET /api/v1/runs/{id}`,
      await latencyOver(byId, headers),
      bareLatency,
      '< 20 ms',
    );
    console.log(`${dialect}: server RSS at the end ${ui.rssMiB().toFixed(0)} MiB`);
    if (ui.errorLineCount > 0) console.log(`${dialect}: server error lines:\n${ui.errorLines.join('\n')}`);
  } finally {
    await ui.stop(10_000);
  }
}

try {
  const project = writeBigProject(root, SCHEDULES);
  const spread = spreadRuns(project);
  const stateIds = spread.busy.length + spread.rare.length + spread.others.length;
  const file = path.join(root, '.meltano', 'meltano.db');
  const sqliteSeconds = await fillSqliteSystemDb(file, spread, RUNS);
  console.log(
    `SQLite: ${RUNS} runs over ${stateIds} state IDs written in ${sqliteSeconds.toFixed(1)} s ` +
      `(${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MiB)`,
  );
  await measure('SQLite', `sqlite:///${file}`, spread, bare);
  fs.rmSync(path.dirname(file), { recursive: true, force: true });

  const postgres = await createScratchPostgres(`meltano_ui_bench_pipelines_${process.pid}`);
  try {
    const seconds = await fillPostgresSystemDb(postgres.url, spread, RUNS);
    console.log(`PostgreSQL: ${RUNS} runs written in ${seconds.toFixed(1)} s (VACUUM ANALYZE included)`);
    await measure('PostgreSQL', postgres.url, spread, bare);
  } finally {
    await postgres.drop();
  }
} finally {
  await bare.stop();
  fs.rmSync(root, { recursive: true, force: true });
}
