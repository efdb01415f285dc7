import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyWritable } from '../../../test-fixtures/fixture-locations.mjs';
import { neverReadingClient } from './support/never-reading-client.js';
import { startUi } from './support/start-ui.js';

// Drives the built launcher as users run it (`pnpm build` first), on a copy of a real project whose
// run 15 is still running (its stream never ends by itself).
const BIN = fileURLToPath(new URL('../bin/meltano.js', import.meta.url));
const FIXTURE = fileURLToPath(
  new URL('../../../test-fixtures/real-meltano/v3.9.5/project/', import.meta.url),
);
const RUN_15_LOG =
  '.meltano/logs/elt/devtap-demo-slow-to-target-demo/01a1fc6c-03a9-706a-8239-cbc659a19680/elt.log';

let root: string;
let home: string;

beforeAll(() => {
  root = copyWritable(FIXTURE, 'cli-shutdown-');
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-shutdown-home-'));
  // Enough log that a client that never reads fills every socket buffer on the way.
  const line = `${'2026-11-21T04:45:07.000000Z [info     ] a line of a long extract'.padEnd(127, '.')}\n`;
  fs.appendFileSync(path.join(root, RUN_15_LOG), line.repeat(64 * 8192));
});
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(home, { recursive: true, force: true });
});

describe('meltano ui on SIGTERM', () => {
  it('tells live-log readers to reconnect, drops clients that never read, and exits 0', async () => {
    const ui = startUi(root, BIN, ['ui', '--bind', '127.0.0.1'], {
      HOME: home,
      MELTANO_PROJECT_ROOT: root,
      MELTANO_HUB_URL: 'http://127.0.0.1:9',
    });
    const { child, exited } = ui;
    const url = await ui.url;
    const port = Number(new URL(url).port);

    // A browser-like reader, caught up with the end of the log.
    const size = fs.statSync(path.join(root, RUN_15_LOG)).size;
    const res = await fetch(`${url}api/v1/runs/15/log/stream?offset=${size}`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let received = '';
    const readUntil = async (needle: string) => {
      while (!received.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) return;
        received += new TextDecoder().decode(value);
      }
    };
    await readUntil('event: run');
    // Clients that never read: two live logs from the start, one download.
    const stalled = [
      neverReadingClient(port, '/api/v1/runs/15/log/stream?offset=0'),
      neverReadingClient(port, '/api/v1/runs/15/log/stream?offset=0'),
      neverReadingClient(port, '/api/v1/runs/15/log/download'),
    ];
    // Make sure the server is serving them (its buffers are filling) before the signal.
    await new Promise((resolve) => setTimeout(resolve, 500));

    child.kill('SIGTERM');
    await readUntil('event: reconnect');
    expect(received).toMatch(
      /retry: \d+\n\nevent: reconnect\ndata: \{"reason":"server_shutdown","offset":\d+/,
    );
    expect(await exited).toBe(0);
    for (const socket of stalled) socket.destroy();
  }, 30_000);
});
