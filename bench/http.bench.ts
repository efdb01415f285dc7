// Throughput of the routes every client hits most, on the built UI (`meltano ui`, authentication
// on) over a copy of the real-Meltano v3.9.5 project, against a bare Fastify hello-world under the
// same load generator (wrk when installed, else autocannon in this process: lib/load.ts; 50 keep-alive connections): the liveness probe
// (GET /api/v1/health) and a session-authenticated read (GET /api/v1/identity with a cookie). The
// bare server is measured before and after the UI and the mean kept, so drift in the machine's load
// shows in both.
import fs from 'node:fs';
import { LOAD_TOOL, throughput } from './lib/load.js';
import { pick } from './lib/options.js';
import { report } from './lib/report.js';
import { addUser, requireBuild, signIn, startBareFastify, startUi, uiEnv } from './lib/servers.js';
import { copyFixtureProject } from './soak/fixture-project.js';

const SECONDS = pick(8, 3);
const CONNECTIONS = 50;

requireBuild();
const root = copyFixtureProject('v3.9.5');
const env = uiEnv();
addUser(root, env, 'bench-viewer', 'bench-viewer-password', 'viewer');
const bare = await startBareFastify();
const ui = await startUi(root, env);
try {
  const cookie = await signIn(ui.url, 'bench-viewer', 'bench-viewer-password');
  const load = (url: string, headers?: Record<string, string>) =>
    throughput(url, { connections: CONNECTIONS, seconds: SECONDS, headers });
  // Warm both (JIT, lazily compiled serializers, connection set-up) before measuring.
  await throughput(bare.url, { connections: CONNECTIONS, seconds: 1 });
  await throughput(`${ui.url}/api/v1/health`, { connections: CONNECTIONS, seconds: 1 });
  await throughput(`${ui.url}/api/v1/identity`, {
    connections: CONNECTIONS,
    seconds: 1,
    headers: { cookie },
  });

  const bareBefore = await load(bare.url);
  const health = await load(`${ui.url}/api/v1/health`);
  const identity = await load(`${ui.url}/api/v1/identity`, { cookie });
  const bareAfter = await load(bare.url);
  const bareRps = (bareBefore.rps + bareAfter.rps) / 2;
  for (const [name, t] of [
    ['bare Fastify (before)', bareBefore],
    ['GET /api/v1/health', health],
    ['GET /api/v1/identity (session)', identity],
    ['bare Fastify (after)', bareAfter],
  ] as const) {
    console.log(
      `${name}: ${t.rps.toFixed(0)} req/s, p50 ${t.p50} ms, p99 ${t.p99} ms, non-2xx ${t.non2xx}, errors ${t.errors}`,
    );
  }
  if (health.non2xx + health.errors + identity.non2xx + identity.errors > 0) {
    throw new Error('the UI answered some requests with an error: the figures would not be comparable');
  }
  report({
    name: `GET /api/v1/health throughput (${LOAD_TOOL}, ${CONNECTIONS} connections)`,
    value: health.rps,
    unit: 'req/s',
    better: 'higher',
    baseline: { name: 'bare Fastify', value: bareRps },
    target: '≥ 0.9× bare Fastify',
  });
  report({
    name: `GET /api/v1/identity with a session cookie (${LOAD_TOOL}, ${CONNECTIONS} connections)`,
    value: identity.rps,
    unit: 'req/s',
    better: 'higher',
    baseline: { name: 'bare Fastify', value: bareRps },
    target: '≥ 0.5× bare Fastify',
  });
} finally {
  await ui.stop(10_000);
  await bare.stop();
  fs.rmSync(root, { recursive: true, force: true });
}
