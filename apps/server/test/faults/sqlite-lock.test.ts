import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdSqliteLock, setJournalMode } from '../../../../packages/core/test/support/sqlite-lock.js';
import { meltanoCli, startUiProcess, type UiProcess } from '../fuzz/ui-process.js';
import { copyWritable, REAL_MELTANO, TEST_SECRETS } from '../support/test-app.js';
import { timedFetch } from './timed-fetch.js';

// The built `meltano ui` on the project's SQLite file while another process holds it locked for
// 10 s, as the Meltano CLI does when it writes. Meltano's own files are WAL; a rollback-journal
// copy shows the older default. Authentication is on, so requests also read their sessions.
const PASSWORD = 'lock-admin-password';
const READS = ['/api/v1/runs', '/api/v1/runs/15', '/api/v1/schedules'];

describe.each(['wal', 'delete'] as const)('meltano ui while Meltano holds the SQLite lock (%s)', (mode) => {
  let root: string;
  let home: string;
  let ui: UiProcess;
  let cookie: string;
  let file: string;

  const signIn = () =>
    timedFetch(ui.url, '/api/v1/auth/login', {
      method: 'POST',
      body: { username: 'lock-admin', password: PASSWORD },
    });
  const get = (target: string) => timedFetch(ui.url, target, { headers: { cookie } });

  beforeAll(async () => {
    root = copyWritable(path.join(REAL_MELTANO, 'v3.9.5', 'project'));
    file = path.join(root, '.meltano', 'meltano.db');
    setJournalMode(file, mode);
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'lock-home-'));
    const env = {
      HOME: home,
      PATH: process.env.PATH ?? '',
      ...TEST_SECRETS,
      MELTANO_UI_AUTHENTICATION: 'true',
      MELTANO_HUB_URL: 'http://127.0.0.1:9',
    };
    meltanoCli(['user', 'add', 'lock-admin', PASSWORD, '-G', 'admin', '--project-root', root], root, env);
    ui = await startUiProcess(root, env);
    const login = await signIn();
    expect(login.status).toBe(200);
    cookie = await fetch(new URL('/api/v1/auth/login', ui.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'meltano-ui-test' },
      body: JSON.stringify({ username: 'lock-admin', password: PASSWORD }),
    }).then((r) => (r.headers.get('set-cookie') ?? '').split(';')[0] ?? '');
  }, 60_000);
  afterAll(async () => {
    await ui?.stop();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('a write lock held 10 s: reads answer at once, a sign-in waits then answers 503 database_busy', async () => {
    const lock = holdSqliteLock(file, 'immediate');
    const released = new Promise((resolve) => setTimeout(resolve, 10_000)).then(() => lock.release());
    try {
      const write = signIn();
      // While the sign-in waits for the lock, the server is not stuck behind it.
      for (const delay of [300, 3_000, 6_000]) {
        await new Promise((resolve) => setTimeout(resolve, delay === 300 ? 300 : 2_700));
        const health = await timedFetch(ui.url, '/api/v1/health');
        expect({ delay, status: health.status, fast: health.ms < 1_000 }).toEqual({
          delay,
          status: 200,
          fast: true,
        });
        for (const target of READS) {
          const answer = await get(target);
          expect({ delay, target, status: answer.status, fast: answer.ms < 1_000 }).toEqual({
            delay,
            target,
            status: 200,
            fast: true,
          });
        }
      }
      const refused = await write;
      expect({ status: refused.status, code: refused.json?.code }).toEqual({
        status: 503,
        code: 'database_busy',
      });
      expect(refused.ms).toBeGreaterThanOrEqual(4_500);
      expect(refused.ms).toBeLessThan(8_000);
      // Anonymous: the database is named relative to the project, never by its absolute path.
      expect(refused.json?.message).toMatch(/\.meltano\/meltano\.db is locked by another process/);
      expect(refused.body).not.toContain(root);
    } finally {
      await released;
    }
    expect((await signIn()).status).toBe(200);
  }, 30_000);

  it('an EXCLUSIVE lock: WAL readers go on; otherwise reads wait a bounded time and answer 503', async () => {
    const lock = holdSqliteLock(file, 'exclusive');
    try {
      const answers = await Promise.all([...READS.map(get), timedFetch(ui.url, '/api/v1/health')]);
      const health = answers.pop();
      expect(health?.status).toBe(200);
      for (const answer of answers) {
        expect(answer.ms).toBeLessThan(8_000);
        if (mode === 'wal')
          expect({ target: answer.target, status: answer.status }).toEqual({
            target: answer.target,
            status: 200,
          });
        else {
          expect(answer.status).toBe(503);
          expect(['database_busy', 'session_unavailable']).toContain(answer.json?.code);
        }
      }
    } finally {
      lock.release();
    }
    for (const target of READS) expect((await get(target)).status).toBe(200);
    expect(ui.alive()).toBe(true);
  }, 30_000);
});
