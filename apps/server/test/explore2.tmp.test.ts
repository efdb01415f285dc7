import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const Database = createRequire(
  new URL('../../../test-fixtures/meltano-standin/package.json', import.meta.url),
)('better-sqlite3');

import { it } from 'vitest';
import { meltanoCli, startUiProcess } from './fuzz/ui-process.js';
import { copyWritable, REAL_MELTANO, TEST_SECRETS } from './support/test-app.js';

async function probe(url: string, target: string, init: RequestInit = {}) {
  const t = Date.now();
  try {
    const res = await fetch(`${url}${target}`, { ...init, signal: AbortSignal.timeout(20000) });
    return `${target} ${res.status} ${Date.now() - t}ms ${(await res.text()).slice(0, 150)}`;
  } catch (e) {
    return `${target} ERR ${Date.now() - t}ms ${(e as Error).message}`;
  }
}
const login = (url: string) =>
  fetch(`${url}api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'x' },
    body: JSON.stringify({ username: 'adm', password: 'adm-password-123' }),
  });

it.each(['wal', 'delete'])(
  'explore %s',
  async (mode) => {
    const root = copyWritable(path.join(REAL_MELTANO, 'v3.9.5', 'project'));
    const file = path.join(root, '.meltano', 'meltano.db');
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'exp-home-'));
    const env = {
      HOME: home,
      PATH: process.env.PATH ?? '',
      ...TEST_SECRETS,
      MELTANO_UI_AUTHENTICATION: 'true',
      MELTANO_HUB_URL: 'http://127.0.0.1:9',
    };
    meltanoCli(['user', 'add', 'adm', 'adm-password-123', '-G', 'admin', '--project-root', root], root, env);
    {
      const d = new Database(file);
      console.log(d.pragma(`journal_mode = ${mode}`));
      d.close();
    }
    const ui = await startUiProcess(root, env);
    const l = await login(ui.url);
    const cookie = (l.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const h = { headers: { cookie } };
    for (const lock of ['IMMEDIATE', 'EXCLUSIVE']) {
      const holder = new Database(file);
      holder.exec(`BEGIN ${lock}`);
      if (lock === 'EXCLUSIVE')
        holder.exec('UPDATE runs SET last_heartbeat_at = last_heartbeat_at WHERE id = 15');
      console.log(mode, lock, 'held');
      const t0 = Date.now();
      const results = await Promise.all([
        probe(ui.url, 'api/v1/health'),
        probe(ui.url, 'api/v1/runs', h),
        probe(ui.url, 'api/v1/runs/15', h),
        probe(ui.url, 'api/v1/schedules', h),
        login(ui.url).then(
          async (r) => `login ${r.status} ${Date.now() - t0}ms ${(await r.text()).slice(0, 150)}`,
        ),
        new Promise((r) => setTimeout(r, 200)).then(() => probe(ui.url, 'api/v1/health')),
      ]);
      for (const r of results) console.log(mode, lock, r);
      holder.exec('ROLLBACK');
      holder.close();
    }
    await ui.stop();
  },
  120000,
);
