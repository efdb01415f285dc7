// Live follow on the built UI (`meltano ui`, authentication on): 500 SSE clients on 50 growing
// elt.log files (10 per run), as the log viewer follows a running run. 50 RUNNING rows are written
// to the system DB (with heartbeats) the way the Meltano CLI writes them (here by the Meltano-CLI
// stand-in's library, NOT the real Meltano); this process appends a timestamped marker line to
// every log every 50 ms, and each client measures marker written → marker received. Prints
// p50/p99 over 1,000 lines per log, the server's RSS at the end and its CPU per follower. There is
// no same-run baseline for this figure: the targets are absolute.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { logFileFor, logLine, meltanoTimestamp, openSystemDb, uuid7Hex } from '@meltano-ui/meltano-standin';
import { Pool } from 'undici';
import { percentiles } from './lib/load.js';
import { pick } from './lib/options.js';
import { report } from './lib/report.js';
import { addUser, requireBuild, rssOf, signIn, startUi, uiEnv } from './lib/servers.js';
import { copyFixtureProject } from './soak/fixture-project.js';
import { startLogWriter } from './soak/followed-runs.js';
import { SoakStats } from './soak/route-stats.js';
import { startFollowers } from './soak/sse-followers.js';

const RUNS = 50;
const PER_RUN = 10;
const LINES = pick(1000, 200);
const INTERVAL_MS = 50;

requireBuild();

/** utime + stime of a process, in ms (from /proc; clock ticks are 100 per second on Linux). */
function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const root = copyFixtureProject('v3.9.5');
const env = uiEnv();
addUser(root, env, 'bench-viewer', 'bench-viewer-password', 'viewer');
const db = openSystemDb(`sqlite:///${path.join(root, '.meltano', 'meltano.db')}`);
const runs: { id: number; file: string }[] = [];
for (let i = 0; i < RUNS; i += 1) {
  const now = new Date();
  const stateId = `bench-follow-${i}`;
  const runId = uuid7Hex(now);
  const id = await db.insertRun({
    job_name: stateId,
    state: 'RUNNING',
    started_at: meltanoTimestamp(now),
    last_heartbeat_at: meltanoTimestamp(now),
    run_id: runId,
    trigger: 'cli',
  });
  const file = logFileFor(path.join(root, '.meltano', 'logs'), stateId, runId);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    `${logLine(now, 'info', `Running extract & load for ${stateId}`, { name: 'meltano' })}\n`,
  );
  runs.push({ id, file });
}
// Meltano's heartbeat: every RUNNING row is touched every few seconds, so none is presumed dead.
const beat = setInterval(() => {
  for (const r of runs) void db.heartbeat(r.id, new Date());
}, 3000);

const ui = await startUi(root, env);
const pool = new Pool(ui.url, { connections: RUNS * PER_RUN + 10, pipelining: 0 });
try {
  const cookie = await signIn(ui.url, 'bench-viewer', 'bench-viewer-password');
  const stats = new SoakStats();
  const followers = startFollowers(
    pool,
    stats,
    runs.map((r) => r.id),
    PER_RUN,
    [cookie],
  );
  // Every stream open and caught up before lines are timed.
  await sleep(3000);
  const writer = startLogWriter(
    runs.map((r) => r.file),
    { intervalMs: INTERVAL_MS, fillerLines: 0 },
  );
  await sleep(1000);
  followers.resetFigures();
  const cpuBefore = cpuMs(ui.pid);
  const t = performance.now();
  const rss: number[] = [];
  while (writer.lastSeq < LINES + 20) {
    await sleep(500);
    rss.push(rssOf(ui.pid));
  }
  const seconds = (performance.now() - t) / 1000;
  const cpu = cpuMs(ui.pid) - cpuBefore;
  writer.stop();
  await sleep(1000);
  const { lags, gaps, duplicates, reconnects } = followers.figures;
  await followers.stop();
  const lag = percentiles(lags);
  const rssMax = Math.max(...rss);
  const failures = stats.errors;
  console.log(
    `${RUNS * PER_RUN} followers, ${lags.length} marker lines received (${LINES}+ per log); lag p50 ${lag.p50} ms, ` +
      `p99 ${lag.p99} ms, max ${lag.max} ms; gaps ${gaps}, duplicates ${duplicates}, reconnects ${reconnects}, ` +
      `failures ${failures}; RSS max ${rssMax.toFixed(0)} MiB; CPU ${(cpu / seconds / 10).toFixed(0)}% of a core`,
  );
  report({
    name: `live follow: append → SSE client, p50 (${RUNS * PER_RUN} followers, ${RUNS} logs)`,
    value: lag.p50,
    unit: 'ms',
    better: 'lower',
  });
  report({
    name: `live follow: append → SSE client, p99 (${RUNS * PER_RUN} followers, ${RUNS} logs)`,
    value: lag.p99,
    unit: 'ms',
    better: 'lower',
    target: '< 100 ms',
  });
  report({
    name: `live follow: server RSS, most seen (${RUNS * PER_RUN} followers)`,
    value: rssMax,
    unit: 'MiB',
    better: 'lower',
    target: '< 300 MiB',
  });
  report({
    name: 'live follow: server CPU per follower',
    value: cpu / seconds / (RUNS * PER_RUN),
    unit: 'ms/s',
    better: 'lower',
  });
} finally {
  clearInterval(beat);
  await pool.close().catch(() => {});
  await ui.stop(10_000);
  await db.close();
  fs.rmSync(root, { recursive: true, force: true });
}
