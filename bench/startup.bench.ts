// Start-up and idle memory of the built UI (`meltano ui`, authentication on) over a copy of the
// real-Meltano v3.9.5 project, against a bare Fastify hello-world started the same way: time from
// spawn to the first 200 from health, and resident memory once idle. Each start is repeated and
// the median kept.
import fs from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { pick } from './lib/options.js';
import { report } from './lib/report.js';
import { addUser, requireBuild, rssOf, startBareFastify, startUi, uiEnv } from './lib/servers.js';
import { copyFixtureProject } from './soak/fixture-project.js';

const STARTS = pick(5, 2);
const IDLE_MS = pick(10_000, 3_000);

requireBuild();

/** A port free right now on loopback (the UI is told to listen there, so health can be asked from spawn on). */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** Asks `url` every 5 ms from now until it answers 200; the milliseconds that took. */
async function pollUntilHealthy(url: string, since: number): Promise<number> {
  for (;;) {
    try {
      const res = await request(url);
      await res.body.text();
      if (res.statusCode === 200) return performance.now() - since;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const root = copyFixtureProject('v3.9.5');
const env = uiEnv();
addUser(root, env, 'bench-admin', 'bench-admin-password', 'admin');

const ui = { ms: [] as number[], rss: [] as number[] };
const bare = { ms: [] as number[], rss: [] as number[] };
try {
  for (let i = 0; i < STARTS; i += 1) {
    // The bare server picks its own port and says it once listening: its time is to that line
    // plus one request, which favours it slightly.
    let t = performance.now();
    const b = await startBareFastify();
    bare.ms.push(await pollUntilHealthy(b.url, t));
    await sleep(IDLE_MS);
    bare.rss.push(rssOf(b.pid));
    await b.stop();

    const port = await freePort();
    t = performance.now();
    const starting = startUi(root, env, port);
    ui.ms.push(await pollUntilHealthy(`http://127.0.0.1:${port}/api/v1/health`, t));
    const u = await starting;
    await sleep(IDLE_MS);
    ui.rss.push(rssOf(u.pid));
    await u.stop(10_000);
    console.log(
      `start ${i + 1}: UI ${ui.ms.at(-1)?.toFixed(0)} ms, ${ui.rss.at(-1)?.toFixed(0)} MiB idle; ` +
        `bare Fastify ${bare.ms.at(-1)?.toFixed(0)} ms, ${bare.rss.at(-1)?.toFixed(0)} MiB`,
    );
  }
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}

report({
  name: 'start-up: spawn to the first 200 from health (median)',
  value: median(ui.ms),
  unit: 'ms',
  better: 'lower',
  baseline: { name: 'bare Fastify', value: median(bare.ms) },
  target: '< 1000 ms',
});
report({
  name: `idle RSS ${IDLE_MS / 1000} s after start (median)`,
  value: median(ui.rss),
  unit: 'MiB',
  better: 'lower',
  baseline: { name: 'bare Fastify', value: median(bare.rss) },
  target: '< 100 MiB',
});
