// The read path at size: a project with include files, environments, both schedule shapes, 10,000 runs
// and a 500 MiB running log, served by the real server. Prints figures; compares with a bare Fastify
// server (same process, same machine) and with `tail -n 1000`. Asserts nothing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openCoreContext } from '@meltano-ui/core';
import {
  dashedUuid,
  meltanoTimestamp,
  openSystemDb,
  sanitizeStateId,
  uuid7Hex,
} from '@meltano-ui/meltano-standin';
import { buildServer } from '@meltano-ui/server';
import Fastify from 'fastify';

const RUNS = 10_000;
const LOG_MIB = 500;
const MiB = 1024 * 1024;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-read-path-'));
const rss = () => process.memoryUsage().rss / MiB;

function writeProject() {
  const elt = Array.from(
    { length: 20 },
    (_, i) =>
      `  - {name: elt-${i}, extractor: tap-a, loader: target-b, transform: skip, interval: '*/${(i % 6) + 5} * * * *'}`,
  );
  const jobs = Array.from({ length: 5 }, (_, i) => `  - {name: job-${i}, tasks: ['tap-a target-b']}`);
  const jobSchedules = Array.from(
    { length: 5 },
    (_, i) => `  - {name: job-schedule-${i}, job: job-${i}, interval: '@hourly'}`,
  );
  fs.writeFileSync(
    path.join(root, 'meltano.yml'),
    `default_environment: dev\ninclude_paths: ['./orchestrate/*.meltano.yml']\nenvironments: [{name: dev}, {name: prod}]\n` +
      `plugins:\n  extractors: [{name: tap-a}]\n  loaders: [{name: target-b}]\nschedules:\n${elt.join('\n')}\n`,
  );
  fs.mkdirSync(path.join(root, 'orchestrate'));
  fs.writeFileSync(
    path.join(root, 'orchestrate', 'jobs.meltano.yml'),
    `jobs:\n${jobs.join('\n')}\nschedules:\n${jobSchedules.join('\n')}\n`,
  );
}

async function writeRuns(): Promise<{ id: number; file: string }> {
  const db = openSystemDb(`sqlite:///${path.join(root, '.meltano', 'meltano.db')}`);
  const stateIds = [...Array.from({ length: 20 }, (_, i) => `elt-${i}`), 'dev:tap-a-to-target-b'];
  const start = Date.now() - RUNS * 60_000;
  db.transaction(() => {
    for (let i = 0; i < RUNS - 1; i++) {
      const at = new Date(start + i * 60_000);
      void db.insertRun({
        job_name: stateIds[i % stateIds.length]!,
        state: i % 7 === 0 ? 'FAIL' : 'SUCCESS',
        started_at: meltanoTimestamp(at),
        ended_at: meltanoTimestamp(new Date(at.getTime() + 30_000)),
        last_heartbeat_at: meltanoTimestamp(new Date(at.getTime() + 30_000)),
        payload: {},
        run_id: uuid7Hex(at),
        trigger: 'cli',
      });
    }
  });
  const runId = uuid7Hex();
  const id = await db.insertRun({
    job_name: 'elt-0',
    state: 'RUNNING',
    started_at: meltanoTimestamp(new Date()),
    last_heartbeat_at: meltanoTimestamp(new Date()),
    payload: {},
    run_id: runId,
    trigger: 'cli',
  });
  await db.close();
  const file = path.join(
    root,
    '.meltano',
    'logs',
    'elt',
    sanitizeStateId('elt-0'),
    dashedUuid(runId),
    'elt.log',
  );
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const line = Buffer.from(
    `${'2026-11-21T04:36:32.024475Z [info     ] INFO Emitted record id=1       cmd_type=extractor name=tap-a stdio=stderr'}\n`,
  );
  const block = Buffer.concat(Array.from({ length: Math.ceil(MiB / line.length) }, () => line));
  const fd = fs.openSync(file, 'w');
  for (let i = 0; i < LOG_MIB; i++) fs.writeSync(fd, block);
  fs.closeSync(fd);
  return { id, file };
}

async function time<T>(label: string, runs: number, fn: () => Promise<T>) {
  const times: number[] = [];
  const before = rss();
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  console.log(
    `${label.padEnd(46)} median ${median.toFixed(2).padStart(8)} ms   max ${times.at(-1)!.toFixed(2).padStart(8)} ms   RSS ${before.toFixed(0)} → ${rss().toFixed(0)} MiB`,
  );
}

try {
  writeProject();
  const t0 = performance.now();
  const running = await writeRuns();
  console.log(
    `generated ${RUNS} runs and a ${LOG_MIB} MiB log in ${((performance.now() - t0) / 1000).toFixed(1)} s; node ${process.version}`,
  );

  const bare = Fastify();
  bare.get('/health', async () => ({ healthy: true }));
  const bareUrl = await bare.listen({ host: '127.0.0.1', port: 0 });

  const core = await openCoreContext({ projectRoot: root, env: {}, homeDir: root });
  const server = await buildServer({ core, webRoot: null });
  const url = await server.listen({ host: '127.0.0.1', port: 0 });
  const json = (p: string) => fetch(`${url}${p}`).then((r) => r.json() as Promise<Record<string, unknown>>);

  const schedules = (await json('/api/v1/schedules')).schedules as {
    name: string;
    latest_run: { id: number } | null;
  }[];
  console.log(
    `schedules listed: ${schedules.length}; elt-0 latest run id ${schedules.find((s) => s.name === 'elt-0')?.latest_run?.id} (expected ${running.id})`,
  );

  await time('baseline: bare Fastify GET /health', 50, () =>
    fetch(`${bareUrl}/health`).then((r) => r.json()),
  );
  await time('GET /api/v1/health', 50, () => json('/api/v1/health'));
  await time('GET /api/v1/schedules (25 schedules, 10k runs)', 20, () => json('/api/v1/schedules'));
  await time('GET /api/v1/runs?limit=50', 50, () => json('/api/v1/runs?limit=50'));
  await time('GET /api/v1/runs/{id}/log?tail=1000 (500 MiB)', 20, () =>
    json(`/api/v1/runs/${running.id}/log?tail=1000`),
  );
  await time('baseline: tail -n 1000 (500 MiB)', 20, async () =>
    execFileSync('tail', ['-n', '1000', running.file]),
  );
  await time('GET /api/v1/runs/{id}/log?offset=250MiB&length=256KiB', 20, () =>
    json(`/api/v1/runs/${running.id}/log?offset=${250 * MiB}&length=${256 * 1024}`),
  );

  // A line appended to the running log, measured until a connected SSE client has it.
  const size = fs.statSync(running.file).size;
  const controller = new AbortController();
  const res = await fetch(`${url}/api/v1/runs/${running.id}/log/stream?offset=${size}`, {
    signal: controller.signal,
  });
  const reader = res.body!.getReader();
  let seen = '';
  while (!seen.includes('event: run')) seen += new TextDecoder().decode((await reader.read()).value);
  const latencies: number[] = [];
  for (let i = 0; i < 10; i++) {
    const marker = `appended-line-${i}`;
    const t = performance.now();
    fs.appendFileSync(running.file, `2026-11-21T05:00:00.000000Z [info     ] ${marker}\n`);
    while (!seen.includes(marker)) seen += new TextDecoder().decode((await reader.read()).value);
    latencies.push(performance.now() - t);
  }
  controller.abort();
  latencies.sort((a, b) => a - b);
  console.log(
    `SSE: appended line reached the client in median ${latencies[5]!.toFixed(1)} ms, max ${latencies[9]!.toFixed(1)} ms`,
  );
  console.log(`server process RSS at the end: ${rss().toFixed(0)} MiB (log file is ${LOG_MIB} MiB)`);

  await server.close();
  await core.close();
  await bare.close();
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
