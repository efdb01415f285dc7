import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neverReadingClient } from './support/never-reading-client.js';
import { caughtUpReader, shutdownProject } from './support/shutdown-fixture.js';
import { startUi } from './support/start-ui.js';

// Drives the built launcher as users run it (`pnpm build` first), on a copy of a real project whose
// run 15 is still running (its stream never ends by itself).
const BIN = fileURLToPath(new URL('../bin/meltano.js', import.meta.url));

let root: string;
let home: string;

beforeAll(() => {
  root = shutdownProject('cli-shutdown-');
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-shutdown-home-'));
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
    const live = await caughtUpReader(url, root);
    // Clients that never read: two live logs from the start, one download.
    const stalled = [
      neverReadingClient(port, '/api/v1/runs/15/log/stream?offset=0'),
      neverReadingClient(port, '/api/v1/runs/15/log/stream?offset=0'),
      neverReadingClient(port, '/api/v1/runs/15/log/download'),
    ];
    // Make sure the server is serving them (its buffers are filling) before the signal.
    await new Promise((resolve) => setTimeout(resolve, 500));

    child.kill('SIGTERM');
    await live.until('event: reconnect');
    expect(live.received()).toMatch(
      /retry: \d+\n\nevent: reconnect\ndata: \{"reason":"server_shutdown","offset":\d+/,
    );
    expect(await exited).toBe(0);
    for (const socket of stalled) socket.destroy();
  }, 30_000);
});
