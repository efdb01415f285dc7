// Heavy log reads at once (issue 10, item 8), on the built UI (`meltano ui`, authentication on): 50
// parallel 100,000-line tails and 20 parallel whole-log searches of a 150,000-line elt.log, sent
// together by one signed-in reader, with a health probe every 20 ms meanwhile. Heavy log work is
// bounded per process (a few at once, a short queue, then 429 `server_busy` with Retry-After) and
// rate-limited per client, so the figures are the probe's latency against the same probe on the idle
// server (the baseline, same run), the server's peak RSS against its idle RSS, and how many of the
// 70 requests were served, queued or refused. BENCH_TAILS / BENCH_SEARCHES change the counts.
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { logLine } from '@meltano-ui/meltano-standin';
import { request } from 'undici';
import { percentiles, timedGet } from './lib/load.js';
import { pick } from './lib/options.js';
import { report } from './lib/report.js';
import { addUser, requireBuild, rssOf, signIn, startUi, uiEnv } from './lib/servers.js';
import { copyFixtureProject, FIXTURE_LOG_RUN } from './soak/fixture-project.js';

const LINES = 150_000;
const TAILS = Number(process.env.BENCH_TAILS ?? 50);
const SEARCHES = Number(process.env.BENCH_SEARCHES ?? 20);
const IDLE_PROBES = pick(200, 100);
const { id: RUN, log: LOG } = FIXTURE_LOG_RUN;

requireBuild();
const root = copyFixtureProject('v3.9.5');
const at = new Date('2026-11-21T04:36:44Z');
const lines: string[] = [];
for (let i = 0; i < LINES; i++) {
  lines.push(
    logLine(at, 'info', `INFO METRIC: {"type": "counter", "metric": "record_count", "value": ${i}}`, {
      cmd_type: 'extractor',
      name: 'tap-demo',
      stdio: 'stderr',
    }),
  );
}
fs.writeFileSync(path.join(root, LOG), `${lines.join('\n')}\n`);
const env = uiEnv();
addUser(root, env, 'bench-viewer', 'bench-viewer-password', 'viewer');
const ui = await startUi(root, env);
try {
  const cookie = await signIn(ui.url, 'bench-viewer', 'bench-viewer-password');
  const headers = { cookie };
  const health = `${ui.url}/api/v1/health`;
  await sleep(1000);
  const idle: number[] = [];
  for (let i = 0; i < IDLE_PROBES; i++) {
    idle.push(await timedGet(health));
    await sleep(5);
  }
  const rssIdle = rssOf(ui.pid);

  let probing = true;
  let rssPeak = rssIdle;
  const busy: number[] = [];
  const probe = (async () => {
    while (probing) {
      busy.push(await timedGet(health));
      rssPeak = Math.max(rssPeak, rssOf(ui.pid));
      await sleep(20);
    }
  })();
  const statuses = new Map<number, number>();
  const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
  const get = async (url: string) => {
    const res = await request(url, { headers });
    await res.body.dump();
    count(res.statusCode);
  };
  const t = performance.now();
  await Promise.all([
    ...Array.from({ length: TAILS }, () => get(`${ui.url}/api/v1/runs/${RUN}/log?tail=100000`)),
    ...Array.from({ length: SEARCHES }, () =>
      get(`${ui.url}/api/v1/runs/${RUN}/log/search?q=${encodeURIComponent('no such text')}`),
    ),
  ]);
  const allMs = performance.now() - t;
  await sleep(200);
  probing = false;
  await probe;

  const i = percentiles(idle);
  const b = percentiles(busy);
  const answered = [...statuses].map(([s, n]) => `${n}× ${s}`).join(', ');
  console.log(
    `${TAILS} tails of 100,000 lines + ${SEARCHES} searches of a ${LINES.toLocaleString('en-US')}-line log: ` +
      `${answered} in ${allMs.toFixed(0)} ms; health p50/p99/max ${b.p50.toFixed(1)}/${b.p99.toFixed(1)}/` +
      `${b.max.toFixed(1)} ms meanwhile (idle ${i.p50.toFixed(1)}/${i.p99.toFixed(1)}/${i.max.toFixed(1)}); ` +
      `RSS ${rssIdle.toFixed(0)} → peak ${rssPeak.toFixed(0)} MiB`,
  );
  if ([...statuses.keys()].some((s) => s >= 500)) throw new Error(`an answer was 5xx: ${answered}`);
  for (const q of ['p99', 'max'] as const) {
    report({
      name: `health ${q} during ${TAILS} parallel 100,000-line tails and ${SEARCHES} searches`,
      value: b[q],
      unit: 'ms',
      better: 'lower',
      baseline: { name: 'the idle server', value: i[q] },
      target: '< 100 ms (was 1.7 s)',
    });
  }
  report({
    name: `peak RSS during ${TAILS} parallel 100,000-line tails and ${SEARCHES} searches`,
    value: rssPeak,
    unit: 'MiB',
    better: 'lower',
    baseline: { name: 'idle', value: rssIdle },
    target: 'bounded (was 1.1 GB)',
  });
} finally {
  await ui.stop(10_000);
  fs.rmSync(root, { recursive: true, force: true });
}
