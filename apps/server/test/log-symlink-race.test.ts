import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

const MARKER = 'OUTSIDE-MARKER';
const RUN_DIR = '.meltano/logs/elt/devtap-demo-slow-to-target-demo/01a1fc6c-03a9-706a-8239-cbc659a19680';
const UNLIMITED = { max: 1_000_000_000, timeWindowMs: 60_000 };

// Flips, as fast as it can and in its own process (so it races the server for real): the run's
// folder between the real one and a symlink to a folder outside the logs root, and the run's
// elt.log between the real file and a symlink to a file outside. Every rename is atomic.
const SWAPPER = `
const fs = require('node:fs');
const [runDir, outsideDir] = process.argv.slice(1);
const realAside = runDir + '.real', linkAside = runDir + '.link';
const log = runDir + '/elt.log', logAside = runDir + '/elt.log.real', logLink = runDir + '/elt.log.link';
fs.symlinkSync(outsideDir, linkAside);
fs.symlinkSync(outsideDir + '/elt.log', logLink);
for (;;) {
  fs.renameSync(runDir, realAside); fs.renameSync(linkAside, runDir);
  fs.renameSync(runDir, linkAside); fs.renameSync(realAside, runDir);
  fs.renameSync(log, logAside); fs.renameSync(logLink, log);
  fs.renameSync(log, logLink); fs.renameSync(logAside, log);
}`;

describe.each(DIALECTS)('log routes against a racing symlink swapper (%s)', (dialect) => {
  let app: TestApp;
  let baseUrl: string;
  let outside: string;
  let swapper: ChildProcess;

  beforeAll(async () => {
    app = await startTestApp(dialect, {
      limits: {
        heavyWork: { concurrency: 8, queue: 10_000 },
        rateLimits: { logRead: UNLIMITED, logSearch: UNLIMITED, logDownload: UNLIMITED },
      },
    });
    baseUrl = await app.server.listen({ host: '127.0.0.1', port: 0 });
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'outside-logs-'));
    const inside = fs.readFileSync(path.join(app.root, RUN_DIR, 'elt.log'), 'utf8');
    expect(inside).not.toContain(MARKER);
    fs.writeFileSync(path.join(outside, 'elt.log'), `${MARKER} secret line\n`.repeat(2000));
    swapper = spawn(process.execPath, ['-e', SWAPPER, path.join(app.root, RUN_DIR), outside], {
      stdio: 'ignore',
    });
  });

  afterAll(async () => {
    swapper.kill('SIGKILL');
    await new Promise((resolve) => swapper.once('exit', resolve));
    await app.cleanup();
    fs.rmSync(outside, { recursive: true, force: true });
  });

  it('serves not one byte of the outside file, in thousands of racing requests', async () => {
    const urls = [
      '/api/v1/runs/15/log?tail=50',
      '/api/v1/runs/15/log?offset=0&length=65536',
      '/api/v1/runs/15/log?from_end=true&length=4096',
      '/api/v1/runs/15/log?line=2&length=4096',
      `/api/v1/runs/15/log/search?q=${MARKER}`,
      '/api/v1/runs/15/log/download',
    ];
    // Live streams re-open the log by name while the race goes on.
    const streams = [0, 1, 2].map(async () => {
      const controller = new AbortController();
      const res = await fetch(`${baseUrl}/api/v1/runs/15/log/stream?offset=0`, { signal: controller.signal });
      let text = '';
      const reader = res.body?.getReader();
      const reading = (async () => {
        try {
          for (;;) {
            const { value, done } = await (reader as ReadableStreamDefaultReader<Uint8Array>).read();
            if (done) return;
            text += new TextDecoder().decode(value);
          }
        } catch {
          // aborted at the end of the test
        }
      })();
      return { stop: () => controller.abort(), text: () => text, reading };
    });

    const statuses = new Map<number, number>();
    let served = 0;
    let leaks = 0;
    const total = 2400;
    let next = 0;
    const worker = async () => {
      while (next < total) {
        const url = urls[next % urls.length] as string;
        next += 1;
        const res = await app.server.inject({ url });
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode !== 200) continue;
        served += 1;
        if (res.body.includes(MARKER)) leaks += 1;
        if (url.includes('/search') && res.json().match !== null) leaks += 1;
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    const followers = await Promise.all(streams);
    for (const f of followers) f.stop();
    await Promise.all(followers.map((f) => f.reading));

    expect(leaks, JSON.stringify([...statuses])).toBe(0);
    for (const f of followers) expect(f.text()).not.toContain(MARKER);
    // The race was real: some requests met the swapped state and were refused, others were served.
    expect(served).toBeGreaterThan(0);
    expect(served).toBeLessThan(total);
    expect(
      [...statuses.keys()].filter((s) => s >= 500),
      JSON.stringify([...statuses]),
    ).toEqual([]);
  }, 120_000);
});
