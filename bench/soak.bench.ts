// The soak: minutes of mixed traffic on the built UI (`meltano ui`, authentication on, loopback) over
// a copy of the real-Meltano v3.9.5 project — pipelines, runs, log tails/ranges/searches, settings,
// sign-ins, 100 SSE followers of growing logs, runs started and cancelled through the API. Prints
// req/s, p50/p99 per route, errors, SSE lag, the server's RSS; PASS only with 0 errors and < 10% RSS
// growth (exit 1 otherwise). Runs come from the Meltano-CLI stand-in, not the real Meltano.
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Pool } from 'undici';
import { REAL_MELTANO } from '../test-fixtures/fixture-locations.mjs';
import { send } from './soak/api-client.js';
import { copyFixtureProject, STANDIN } from './soak/fixture-project.js';
import { startFollowedRuns, startLogWriter, stopFollowedRuns } from './soak/followed-runs.js';
import { connectInspector, describe } from './soak/forced-gc.js';
import { percentile, SoakStats } from './soak/route-stats.js';
import { startRunCycler } from './soak/run-cycler.js';
import { type SoakUser, signIn, startSignIns } from './soak/sign-ins.js';
import { startFollowers } from './soak/sse-followers.js';
import { closedLoop, runMix } from './soak/traffic-mix.js';
import { addUser, requireBuild, startUi, type UiProcess } from './soak/ui-process.js';

const FOLLOWED_RUNS = 4;
const FOLLOWERS_PER_RUN = 25;
const RSS_GROWTH_LIMIT = 0.1;

function parseDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(value.trim());
  if (!m) throw new Error(`--duration: expected e.g. 300, 90s or 5m, got '${value}'`);
  const n = Number(m[1]);
  return m[2] === 'ms' ? n : m[2] === 'm' ? n * 60_000 : n * 1000;
}

const { values: args } = parseArgs({
  // `pnpm bench:soak -- --quick` hands the script a literal `--` (pnpm 10 passes it through).
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    quick: { type: 'boolean', default: process.env.SOAK_QUICK === '1' },
    duration: { type: 'string', default: process.env.SOAK_DURATION },
    connections: { type: 'string', default: process.env.SOAK_CONNECTIONS ?? '8' },
    // A full GC (and memory figures) at every progress line: shows a trend, costs a pause each time.
    'trace-memory': { type: 'boolean', default: process.env.SOAK_TRACE_MEMORY === '1' },
  },
});
const quick = args.quick === true;
const durationMs = args.duration ? parseDuration(args.duration) : quick ? 30_000 : 300_000;
const warmupMs = quick ? 20_000 : 30_000;
const baselineMs = quick ? 5_000 : 15_000;
const connections = Number(args.connections);
const traceMemory = args['trace-memory'] === true;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pool = (url: string, n: number) =>
  new Pool(url, { connections: n, headersTimeout: 30_000, bodyTimeout: 30_000 });

/** The same closed loop against a bare Fastify hello-world in its own process. */
async function baseline(): Promise<{ rps: number; p50: number; p99: number }> {
  const child: ChildProcess = spawn(
    process.execPath,
    [path.join(import.meta.dirname, 'soak', 'hello-server.mjs')],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening at (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
  });
  const p = pool(url, connections);
  const stats = new SoakStats();
  const stop = new AbortController();
  const loop = closedLoop(
    p,
    stats,
    connections,
    () => ({ route: 'GET /', expect: [200], path: '/' }),
    stop.signal,
  );
  await sleep(1000);
  stats.reset();
  await sleep(baselineMs);
  const rps = stats.requests / stats.seconds();
  stop.abort();
  await loop;
  await p.close();
  child.kill('SIGTERM');
  if (stats.errors > 0) throw new Error(`the baseline server failed: ${JSON.stringify(stats.samples)}`);
  return { rps, ...stats.overall() };
}

console.log(
  `soak: ${quick ? 'quick, ' : ''}${durationMs / 1000} s after a ${warmupMs / 1000} s warm-up; ${connections} clients ` +
    `in a closed loop, ${FOLLOWED_RUNS * FOLLOWERS_PER_RUN} SSE followers; node ${process.version}, ${os.cpus().length} CPUs`,
);
console.log(
  `runs come from the Meltano-CLI stand-in (${path.relative(process.cwd(), STANDIN)}), NOT the real Meltano; ` +
    `project: a copy of ${path.join(REAL_MELTANO, 'v3.9.5', 'project')}`,
);
requireBuild();

const base = await baseline();
console.log(
  `baseline (bare Fastify hello-world, same generator, ${connections} clients): ${base.rps.toFixed(0)} req/s, ` +
    `p50 ${base.p50.toFixed(1)} ms, p99 ${base.p99.toFixed(1)} ms`,
);

const root = copyFixtureProject('v3.9.5');
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-soak-home-'));
const inherited = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith('MELTANO') && !k.startsWith('STANDIN')),
);
const env: NodeJS.ProcessEnv = {
  ...inherited,
  HOME: home,
  MELTANO_UI_AUTHENTICATION: 'true',
  MELTANO_UI_SECRET_KEY: crypto.randomBytes(32).toString('hex'),
  MELTANO_UI_PASSWORD_SALT: crypto.randomBytes(32).toString('hex'),
  MELTANO_UI_MELTANO_EXECUTABLE: STANDIN,
  // Runs started through the API keep going (and logging) until the soak cancels them.
  STANDIN_MODE: 'hang',
  STANDIN_DELAY_MS: '200',
  // No internet: Meltano Hub is a closed local port, so the plugin catalog is the bundled one.
  MELTANO_HUB_URL: 'http://127.0.0.1:9',
};
const users: SoakUser[] = [
  { username: 'soak-admin', password: 'soak-admin-password', role: 'admin' },
  { username: 'soak-operator', password: 'soak-operator-password', role: 'regular' },
  { username: 'soak-viewer', password: 'soak-viewer-password', role: 'viewer' },
  { username: 'soak-viewer-2', password: 'soak-viewer-2-password', role: 'viewer' },
];
for (const u of users) addUser(root, env, u.username, u.password, u.role);

const followed = startFollowedRuns(root, env, FOLLOWED_RUNS);
let ui: UiProcess | null = null;
let cycler: ReturnType<typeof startRunCycler> | null = null;
let sse: ReturnType<typeof startFollowers> | null = null;
let signIns: ReturnType<typeof startSignIns> | null = null;
const stopMix = new AbortController();
const pools: Pool[] = [];
let failed = false;
try {
  ui = await startUi(root, env);
  const [mixPool, ssePool, controlPool] = [connections, FOLLOWED_RUNS * FOLLOWERS_PER_RUN, 8].map((n) =>
    pool(ui!.url, n),
  ) as [Pool, Pool, Pool];
  pools.push(mixPool, ssePool, controlPool);
  const setup = new SoakStats();
  const cookies: string[] = [];
  for (const u of users) {
    const cookie = await signIn(controlPool, setup, u);
    if (!cookie) throw new Error(`could not sign in ${u.username}: ${JSON.stringify(setup.samples)}`);
    cookies.push(cookie);
  }
  const [adminCookie, operatorCookie] = cookies as [string, string];

  // The followed runs' rows and logs, once the stand-in has written them.
  const deadline = performance.now() + 30_000;
  let followedIds: number[] = [];
  while (performance.now() < deadline) {
    const page = await send(controlPool, setup, {
      route: 'setup',
      expect: [200],
      path: '/api/v1/runs?status=running&limit=100',
      cookie: adminCookie,
    });
    const items = page?.ok ? page.json<{ items: { id: number; state_id: string }[] }>().items : [];
    followedIds = items.filter((r) => r.state_id.startsWith('soak-follow-')).map((r) => r.id);
    if (followedIds.length === FOLLOWED_RUNS && followed.every((f) => fs.existsSync(f.file))) break;
    await sleep(250);
  }
  if (followedIds.length !== FOLLOWED_RUNS)
    throw new Error(`the stand-in runs did not start: ${followedIds}`);
  const all = await send(controlPool, setup, {
    route: 'setup',
    expect: [200],
    path: '/api/v1/runs?limit=200',
    cookie: adminCookie,
  });
  const allRuns = all!.json<{ items: { id: number }[] }>().items.map((r) => r.id);
  const runsWithLog: number[] = [];
  for (const id of allRuns) {
    const res = await send(controlPool, setup, {
      route: 'setup',
      expect: [200, 404],
      path: `/api/v1/runs/${id}/log?tail=1`,
      cookie: adminCookie,
    });
    if (res?.status === 200) runsWithLog.push(id);
  }
  console.log(
    `UI ${ui.url} (pid ${ui.pid}, built launcher, authentication on, ${users.length} users); ${allRuns.length} runs, ` +
      `${runsWithLog.length} with a log, ${FOLLOWED_RUNS} running stand-in runs followed`,
  );

  const inspector = await connectInspector(ui);
  const idle = await inspector.retained();
  const stats = new SoakStats();
  const rss: number[] = [];
  const sampler = setInterval(() => {
    if (ui!.exitCode() === undefined) rss.push(ui!.rssMiB());
  }, 1000);

  sse = startFollowers(ssePool, stats, followedIds, FOLLOWERS_PER_RUN, cookies);
  await sleep(1000);
  const writer = startLogWriter(
    followed.map((f) => f.file),
    { intervalMs: 200, fillerLines: 9 },
  );
  const mix = runMix(mixPool, stats, connections, { runsWithLog, allRuns, cookies }, stopMix.signal);
  signIns = startSignIns(controlPool, stats, users, { correctEveryMs: 3000, wrongEveryMs: 8000 });
  cycler = startRunCycler(controlPool, stats, operatorCookie);

  await sleep(warmupMs);
  const start = await inspector.retained();
  rss.length = 0;
  stats.reset();
  sse.resetFigures();
  const cyclesBefore = { ...cycler.figures };
  const writtenBefore = writer.bytes;
  console.log(`idle before the load, after a full GC: ${describe(idle)}`);
  console.log(`warm-up done, after a full GC:        ${describe(start)}`);

  for (let left = durationMs; left > 0; left -= 30_000) {
    await sleep(Math.min(30_000, left));
    if (ui.exitCode() !== undefined)
      throw new Error(`the server exited (code ${ui.exitCode()}) during the soak`);
    const memory = traceMemory
      ? `after a full GC: ${describe(await inspector.retained())}`
      : `RSS ${rss.at(-1)?.toFixed(1)} MiB`;
    console.log(
      `  t=${stats.seconds().toFixed(0)} s: ${stats.requests} requests, ${stats.errors} errors, ` +
        `${sse.figures.lines} SSE lines, ${memory}`,
    );
  }
  const seconds = stats.seconds();
  const requests = stats.requests;
  clearInterval(sampler);
  // Measured under the same load as at the start; the collection pauses the server once (< 1 s).
  const end = await inspector.retained();
  inspector.close();

  stopMix.abort();
  await Promise.all([mix, signIns.stop(), cycler.stop()]);
  writer.stop();
  const lastSeq = writer.lastSeq;
  // The followers get until the last marker line, or 5 s.
  const caughtUp = performance.now() + 5000;
  while (performance.now() < caughtUp && sse.followers.some((f) => f.lastSeq < lastSeq)) await sleep(100);
  const behind = sse.followers.filter((f) => f.lastSeq < lastSeq).length;
  await sse.stop();

  const lags = [...sse.figures.lags].sort((a, b) => a - b);
  const growth = (end.rssMiB - start.rssMiB) / start.rssMiB;
  const sseProblems = sse.figures.gaps + sse.figures.duplicates + behind;
  const errors = stats.errors + sseProblems;

  console.log('');
  for (const line of stats.table()) console.log(line);
  console.log('');
  console.log(
    `requests: ${requests} in ${seconds.toFixed(1)} s = ${(requests / seconds).toFixed(1)} req/s overall ` +
      `(baseline bare Fastify: ${base.rps.toFixed(0)} req/s); 429 (limits, counted apart): ${stats.throttled}`,
  );
  const { correct, wrong } = signIns.counts();
  console.log(
    `sign-ins: ${correct} correct, ${wrong} wrong-password (over the whole soak, warm-up included); ` +
      `runs started and cancelled through the API: ${cycler.figures.started - cyclesBefore.started} started, ` +
      `${cycler.figures.cancelled - cyclesBefore.cancelled} cancelled`,
  );
  console.log(
    `SSE: ${FOLLOWED_RUNS * FOLLOWERS_PER_RUN} followers, ${sse.figures.lines} lines delivered ` +
      `(${((writer.bytes - writtenBefore) / 1024 / 1024).toFixed(1)} MiB appended to the followed logs), ` +
      `lag p50 ${percentile(lags, 50).toFixed(0)} ms, p99 ${percentile(lags, 99).toFixed(0)} ms over ${lags.length} marker lines; ` +
      `gaps ${sse.figures.gaps}, duplicates ${sse.figures.duplicates}, reconnects ${sse.figures.reconnects}, ` +
      `behind at the end ${behind}`,
  );
  const sorted = [...rss].sort((a, b) => a - b);
  console.log(
    `server RSS after a full GC: ${start.rssMiB.toFixed(1)} MiB after warm-up → ${end.rssMiB.toFixed(1)} MiB at the end ` +
      `(${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%); at the end: ${describe(end)}`,
  );
  console.log(
    `server RSS sampled every 1 s (no GC forced; V8 lets garbage pile up between collections): ` +
      `min ${sorted[0]?.toFixed(1)}, median ${percentile(sorted, 50).toFixed(1)}, peak ${sorted.at(-1)?.toFixed(1)} MiB`,
  );
  console.log(`server log lines at level error: ${ui.errorLineCount}`);
  for (const line of ui.errorLines) console.log(`  ${line}`);
  console.log(`errors: ${errors} (HTTP and connection ${stats.errors}, SSE ${sseProblems})`);
  for (const s of stats.samples) console.log(`  ${s.route} ${s.url}: ${s.what}`);
  for (const f of cycler.figures.failures) console.log(`  run cycle: ${f}`);

  const reasons = [
    ...(errors > 0 ? [`${errors} errors (must be 0)`] : []),
    ...(growth >= RSS_GROWTH_LIMIT ? [`RSS grew ${(growth * 100).toFixed(1)}% (must be < 10%)`] : []),
  ];
  failed = reasons.length > 0;
  console.log(failed ? `FAIL: ${reasons.join('; ')}` : 'PASS: 0 errors, RSS growth < 10%');
} catch (err) {
  failed = true;
  console.log(`FAIL: the soak itself broke: ${(err as Error).stack}`);
} finally {
  // Ends what a broken soak left going (a no-op after a normal end).
  stopMix.abort();
  await Promise.all([sse?.stop(), signIns?.stop()]);
  await stopFollowedRuns(followed);
  if (ui?.exitCode() !== undefined) cycler?.endOrphan();
  await Promise.all(pools.map((p) => p.close()));
  const stopped = ui ? await ui.stop(10_000) : undefined;
  if (stopped !== undefined) {
    console.log(
      stopped
        ? `server stopped on SIGTERM: exit ${stopped.code} in ${stopped.ms.toFixed(0)} ms`
        : 'server did not exit within 10 s of SIGTERM (killed)',
    );
  }
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
