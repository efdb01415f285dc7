import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_SECRETS, type TestApp } from './support/test-app.js';

const AUTH_ENV = {
  MELTANO_UI_AUTHENTICATION: 'true',
  MELTANO_UI_LEGACY_PASSWORD_SALT: 'fixture-salt-7f3a9c',
};
const LOOSE = { limit: 1_000_000, windowMs: 60_000 };
const SERVER = fileURLToPath(new URL('../', import.meta.url));
const CHILD = fileURLToPath(new URL('./support/server-child.ts', import.meta.url));
// tsx is not a dependency of the server; it is installed for vitest, so resolve it from there.
const fromVitest = createRequire(createRequire(import.meta.url).resolve('vitest/package.json'));
const TSX = pathToFileURL(
  path.join(path.dirname(fromVitest.resolve('tsx/package.json')), 'dist/loader.mjs'),
).href;

/** A second server process on the app's project: its own SQLite connection and event loop. */
async function startChild(root: string): Promise<{ child: ChildProcess; base: string; home: string }> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'server-child-home-'));
  const env = {
    HOME: home,
    PATH: process.env.PATH ?? '',
    ...TEST_SECRETS,
    MELTANO_HUB_URL: 'http://127.0.0.1:9',
    ...AUTH_ENV,
  };
  const child = spawn(process.execPath, ['--conditions=source', '--import', TSX, CHILD, root, home], {
    cwd: SERVER,
    env: { ...process.env, SERVER_CHILD_ENV: JSON.stringify(env) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (c) => {
    stderr += String(c);
  });
  const port = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (c) => {
      out += String(c);
      if (out.includes('\n')) resolve(out.trim());
    });
    child.once('exit', (code) => reject(new Error(`server child exited (${code}): ${stderr}`)));
  });
  // The project's ui.server_name is localhost.
  return { child, base: `http://localhost:${port}`, home };
}

describe('two server processes on one SQLite file', () => {
  let app: TestApp;
  let other: Awaited<ReturnType<typeof startChild>>;
  beforeAll(async () => {
    app = await startTestApp('sqlite', {
      version: 'v2.20.0',
      env: AUTH_ENV,
      loginThrottle: { perUsername: LOOSE, perIp: LOOSE },
    });
    other = await startChild(app.root);
  });
  afterAll(async () => {
    const exited = new Promise((resolve) => other.child.once('exit', resolve));
    other.child.kill('SIGTERM');
    await exited;
    fs.rmSync(other.home, { recursive: true, force: true });
    await app.cleanup();
  });

  it('one changing a user in a loop never signs out or fails a reader on the other', async () => {
    let adminCookie = '';
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(`${other.base}${url}`, {
        method,
        headers: {
          'x-requested-with': 'test',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(adminCookie ? { cookie: adminCookie } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const setCookie = res.headers.getSetCookie().find((c) => c.includes('meltano_ui_session='));
      return { status: res.status, json: (await res.json()) as Record<string, unknown>, setCookie };
    };
    const login = await call('POST', '/api/v1/auth/login', { username: 'alice', password: 'S3cret-pass' });
    expect(login.status, JSON.stringify(login.json)).toBe(200);
    adminCookie = login.setCookie?.split(';')[0] ?? '';
    const dave = await call('POST', '/api/v1/users', {
      username: 'dave',
      password: 'dave-password',
      roles: [],
    });
    expect(dave.status).toBe(201);

    const signedIn = await app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'bob', password: 'other-pass' },
    });
    const session = signedIn.cookies.find((c) => c.name.endsWith('meltano_ui_session'));
    let readerCookie = `${session?.name}=${session?.value}`;

    const bobId = (signedIn.json() as { user: { id: string } }).user.id;
    // Makes bob's sessions due for rotation and for a touch, so every read also writes.
    const backdate = () =>
      app.core.db.withKysely((k) =>
        k
          .updateTable('ui_sessions')
          .set({ created_at: '2000-01-01T00:00:00.000Z', last_seen_at: '2000-01-01T00:00:00.000Z' })
          .where('user_id', '=', bobId)
          .execute(),
      );

    let writing = true;
    const writer = (async () => {
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++) {
        const change =
          i % 3 === 0 ? { active: i % 2 === 0 } : { roles: i % 2 === 0 ? ['viewer'] : ['regular'] };
        statuses.push((await call('PATCH', `/api/v1/users/${dave.json.id}`, change)).status);
      }
      writing = false;
      return statuses;
    })();
    const reads: number[] = [];
    const cleared: string[] = [];
    while (writing || reads.length < 60) {
      await backdate();
      for (const url of ['/api/v1/identity', '/api/v1/runs', '/api/v1/users']) {
        const res = await app.server.inject({ url, headers: { cookie: readerCookie } });
        reads.push(res.statusCode);
        const set = res.cookies.find((c) => c.name.endsWith('meltano_ui_session'));
        if (set?.value === '') cleared.push(url);
        else if (set) readerCookie = `${set.name}=${set.value}`;
      }
    }
    expect(await writer).toEqual(Array(60).fill(200));
    // bob is not an admin: /users is a 403, everything else 200; never a 401, 503 or a cleared cookie.
    expect(new Set(reads)).toEqual(new Set([200, 403]));
    expect(cleared).toEqual([]);
  });
});
