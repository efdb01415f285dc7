// A 1 GiB elt.log on the built UI (`meltano ui`, authentication on), against the system tools on
// the same file in the same run: the first tail of 1,000 lines after boot (the line index is
// empty) against `tail -n 1000`, with the server's memory around it and the time until the lines
// are numbered (the index is built in the background); later tails; and a search of the whole file
// (the client follows `resume_from` as the log viewer does) in MB/s against `grep -c -i -F`, with
// the longest the event loop was held (a health probe every 20 ms: it is answered on that loop).
// The file was just written, so all reads come from the page cache: CPU and syscalls, not disk.
import { spawnSync } from 'node:child_process';
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

const MiB = 1024 * 1024;
const SIZE = pick(1024, 256) * MiB;
const { id: RUN, log: LOG } = FIXTURE_LOG_RUN;
const NEEDLE = 'no such text in this log';

requireBuild();

/** About 1 MiB of Meltano-format lines: a tap's records and a target's batches, as elt.log has them. */
function block(n: number): Buffer {
  const lines: string[] = [];
  const at = new Date('2026-11-21T04:36:44Z');
  for (let bytes = 0, i = 0; bytes < MiB; i += 1) {
    const line =
      i % 10 === 9
        ? logLine(at, 'info', `Target sink batch ${n}-${i} written (1000 records)`, {
            cmd_type: 'loader',
            name: 'target-demo',
            stdio: 'stderr',
          })
        : logLine(at, 'info', `INFO METRIC: {"type": "counter", "metric": "record_count", "value": ${i}}`, {
            cmd_type: 'extractor',
            name: 'tap-demo',
            stdio: 'stderr',
          });
    lines.push(line);
    bytes += Buffer.byteLength(line) + 1;
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

function writeLog(file: string): number {
  const fd = fs.openSync(file, 'w');
  let written = 0;
  for (let n = 0; written < SIZE; n += 1) written += fs.writeSync(fd, block(n));
  fs.closeSync(fd);
  return written;
}

/** Median wall time of a command, in ms (spawn included, as a user at a shell pays it). */
function timeCommand(cmd: string, args: string[], times = 5): { ms: number; stdout: string } {
  const all: number[] = [];
  let stdout = '';
  for (let i = 0; i < times; i += 1) {
    const t = performance.now();
    const out = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 64 * MiB });
    all.push(performance.now() - t);
    stdout = out.stdout;
  }
  return { ms: percentiles(all).p50, stdout };
}

const root = copyFixtureProject('v3.9.5');
const file = path.join(root, LOG);
const size = writeLog(file);
console.log(`log: ${(size / MiB).toFixed(0)} MiB of Meltano-format lines`);
const env = uiEnv();
addUser(root, env, 'bench-viewer', 'bench-viewer-password', 'viewer');

const tail = timeCommand('tail', ['-n', '1000', file]);
const grep = timeCommand('grep', ['-c', '-i', '-F', NEEDLE, file], 3);
const ui = await startUi(root, env);
try {
  const cookie = await signIn(ui.url, 'bench-viewer', 'bench-viewer-password');
  const headers = { cookie };
  const tailUrl = `${ui.url}/api/v1/runs/${RUN}/log?tail=1000`;
  await sleep(1000); // let boot-time work settle before taking the memory baseline
  const rssBefore = rssOf(ui.pid);

  const t = performance.now();
  const res = await request(tailUrl, { headers });
  const first = (await res.body.json()) as { lines: number; first_line: number | null; text: string };
  const firstMs = performance.now() - t;
  const rssAfterFirst = rssOf(ui.pid);
  if (res.statusCode !== 200 || first.lines !== 1000)
    throw new Error(`first tail answered ${res.statusCode}`);
  if (first.text !== tail.stdout) throw new Error('the first tail differs from `tail -n 1000`');

  // Until the background index has numbered the lines: how long, and the most memory it took.
  let rssPeak = rssAfterFirst;
  let numberedMs = first.first_line === null ? Number.NaN : firstMs;
  while (Number.isNaN(numberedMs)) {
    await sleep(50);
    rssPeak = Math.max(rssPeak, rssOf(ui.pid));
    const again = await request(`${ui.url}/api/v1/runs/${RUN}/log?offset=${size - 100}&length=4`, {
      headers,
    });
    const body = (await again.body.json()) as { first_line: number | null };
    if (body.first_line !== null) numberedMs = performance.now() - t;
  }
  const later: number[] = [];
  for (let i = 0; i < 20; i += 1) later.push(await timedGet(tailUrl, headers));
  console.log(
    `first tail ${firstMs.toFixed(1)} ms (first_line ${first.first_line}), numbered after ${numberedMs.toFixed(0)} ms; ` +
      `later tails p50 ${percentiles(later).p50.toFixed(1)} ms; tail -n 1000 ${tail.ms.toFixed(1)} ms`,
  );
  console.log(
    `RSS ${rssBefore.toFixed(0)} MiB before, ${rssAfterFirst.toFixed(0)} after the first tail, ` +
      `peak ${rssPeak.toFixed(0)} while indexing`,
  );

  // Search the whole file for text it does not hold, probing health all along.
  let probing = true;
  const probes: number[] = [];
  const probe = (async () => {
    while (probing) {
      probes.push(await timedGet(`${ui.url}/api/v1/health`));
      await sleep(20);
    }
  })();
  const s = performance.now();
  let from = 0;
  let requests = 0;
  for (;;) {
    const r = await request(
      `${ui.url}/api/v1/runs/${RUN}/log/search?q=${encodeURIComponent(NEEDLE)}&from=${from}`,
      { headers },
    );
    const body = (await r.body.json()) as { match: unknown; resume_from: number | null };
    requests += 1;
    if (r.statusCode !== 200) throw new Error(`search answered ${r.statusCode}`);
    if (body.match !== null) throw new Error('the search found text the log does not hold');
    if (body.resume_from === null) break;
    from = body.resume_from;
  }
  const searchMs = performance.now() - s;
  probing = false;
  await probe;
  const blocked = percentiles(probes);
  const mbps = size / 1e6 / (searchMs / 1000);
  const grepMbps = size / 1e6 / (grep.ms / 1000);
  console.log(
    `search: ${searchMs.toFixed(0)} ms in ${requests} requests (${mbps.toFixed(0)} MB/s); grep -c ${grep.ms.toFixed(0)} ms ` +
      `(${grepMbps.toFixed(0)} MB/s); health during it p50 ${blocked.p50.toFixed(1)} ms, max ${blocked.max.toFixed(1)} ms`,
  );

  const label = `${(size / MiB).toFixed(0)} MiB log`;
  report({
    name: `first tail of 1,000 lines of a ${label} after boot`,
    value: firstMs,
    unit: 'ms',
    better: 'lower',
    baseline: { name: 'tail -n 1000', value: tail.ms },
    target: '≤ 3× tail (ratio ≥ 0.33)',
  });
  report({
    name: `RSS growth of the first tail (${label})`,
    value: rssAfterFirst - rssBefore,
    unit: 'MiB',
    better: 'lower',
    target: '< 16 MiB',
  });
  report({
    name: `RSS growth while the ${label} is indexed in the background (peak)`,
    value: rssPeak - rssBefore,
    unit: 'MiB',
    better: 'lower',
    target: '< 16 MiB',
  });
  report({
    name: `time until the first tail's lines are numbered (${label})`,
    value: numberedMs,
    unit: 'ms',
    better: 'lower',
  });
  report({
    name: `later tails of 1,000 lines (${label}, p50)`,
    value: percentiles(later).p50,
    unit: 'ms',
    better: 'lower',
    baseline: { name: 'tail -n 1000', value: tail.ms },
  });
  report({
    name: `search of the whole ${label}`,
    value: mbps,
    unit: 'MB/s',
    better: 'higher',
    baseline: { name: 'grep -c -i -F', value: grepMbps },
    target: '≥ 0.5× grep',
  });
  report({
    name: `longest health answer during the search (event loop held, ${label})`,
    value: blocked.max,
    unit: 'ms',
    better: 'lower',
    target: '< 50 ms',
  });
} finally {
  await ui.stop(10_000);
  fs.rmSync(root, { recursive: true, force: true });
}
