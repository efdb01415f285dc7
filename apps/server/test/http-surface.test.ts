import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuthService } from '@meltano-ui/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, TEST_SECRETS, type TestApp } from './support/test-app.js';

const STANDIN = fileURLToPath(
  new URL('../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url),
);
const AUTH_ENV = {
  MELTANO_UI_AUTHENTICATION: 'true',
  MELTANO_UI_LEGACY_PASSWORD_SALT: 'fixture-salt-7f3a9c',
};

/** The app serving a built web app of its own: an index.html and one hashed asset. */
async function startWithWebApp() {
  const web = fs.mkdtempSync(path.join(os.tmpdir(), 'surface-web-'));
  fs.writeFileSync(path.join(web, 'index.html'), '<html><head></head><body></body></html>');
  fs.mkdirSync(path.join(web, 'assets'));
  fs.writeFileSync(path.join(web, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
  return { web, app: await startTestApp('sqlite', { webRoot: web }) };
}

describe.each(DIALECTS)('what the API shows and accepts (%s)', (dialect) => {
  let app: TestApp;
  const cookies: Record<'viewer' | 'regular' | 'admin', string> = { viewer: '', regular: '', admin: '' };

  beforeAll(async () => {
    app = await startTestApp(dialect, {
      version: 'v2.20.0',
      env: { ...AUTH_ENV, MELTANO_UI_MELTANO_EXECUTABLE: STANDIN },
    });
    const auth = createAuthService({ db: app.core.db, passwordSalt: TEST_SECRETS.MELTANO_UI_PASSWORD_SALT });
    for (const role of ['viewer', 'regular', 'admin'] as const) {
      await auth.users.create({ username: `surface-${role}`, password: 'surface-password', roles: [role] });
      const res = await app.server.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: `surface-${role}`, password: 'surface-password' },
      });
      const cookie = res.cookies.find((c) => c.name === 'meltano_ui_session');
      cookies[role] = `${cookie?.name}=${cookie?.value}`;
    }
  });
  afterAll(() => app.cleanup());

  it('serves the OpenAPI document and docs page to readers only', async () => {
    for (const url of ['/api/v1/openapi.json', '/api/v1/docs/', '/api/v1/docs/json']) {
      expect([url, (await app.server.inject({ url })).statusCode]).toEqual([url, 401]);
      const signedIn = await app.server.inject({ url, headers: { cookie: cookies.viewer } });
      expect([url, signedIn.statusCode]).toEqual([url, 200]);
    }
  });

  it('shows absolute paths (project root, database file) to admins only', async () => {
    const admin = (
      await app.server.inject({ url: '/api/v1/project', headers: { cookie: cookies.admin } })
    ).json();
    expect(admin.root).toBe(app.root);
    for (const role of ['viewer', 'regular'] as const) {
      const res = await app.server.inject({ url: '/api/v1/project', headers: { cookie: cookies[role] } });
      expect(res.json().root).toBeNull();
      expect(res.body).not.toContain(app.root);
    }
  });

  it('shows the absolute path of the executable a run was started with to admins only', async () => {
    const started = await app.server.inject({
      method: 'POST',
      url: '/api/v1/schedules/daily-demo/run',
      headers: { cookie: cookies.regular },
    });
    expect(started.statusCode).toBe(202);
    expect(started.json().argv).toEqual(['meltano.mjs', 'schedule', 'run', '--', 'daily-demo']);
    expect(started.body).not.toContain(STANDIN);
    const url = `/api/v1/launches/${started.json().id}`;
    const viewer = await app.server.inject({ url, headers: { cookie: cookies.viewer } });
    expect(viewer.json().argv[0]).toBe('meltano.mjs');
    const admin = await app.server.inject({ url, headers: { cookie: cookies.admin } });
    expect(admin.json().argv[0]).toBe(STANDIN);
    // Let the stand-in finish before the database goes away.
    for (let i = 0; i < 150; i++) {
      const launch = await app.server.inject({ url, headers: { cookie: cookies.admin } });
      if (launch.json().status !== 'running' && launch.json().status !== 'starting') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('marks every API answer no-store: data, errors, refusals', async () => {
    const answers = [
      await app.server.inject({ url: '/api/v1/health' }),
      await app.server.inject({ url: '/api/v1/runs' }),
      await app.server.inject({ url: '/api/v1/runs', headers: { cookie: cookies.viewer } }),
      await app.server.inject({ url: '/api/v1/no-such-route' }),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([200, 401, 200, 404]);
    for (const res of answers) expect(res.headers['cache-control']).toBe('no-store');
  });

  it('answers unknown body keys with 400 naming them (never silently dropped)', async () => {
    const post = (url: string, payload: Record<string, unknown>, method: 'POST' | 'PATCH' = 'POST') =>
      app.server.inject({ method, url, payload, headers: { cookie: cookies.regular } });
    const typo = await post('/api/v1/schedules', {
      name: 'n1',
      interval: '@daily',
      job: 'demo-job',
      intervall: 'x',
    });
    expect(typo.statusCode).toBe(400);
    expect(typo.json()).toMatchObject({
      code: 'invalid_request',
      details: { unknown_fields: ['intervall'] },
    });
    expect(typo.json().message).toBe('Invalid body: unknown field(s): intervall');
    // A key of the other form of the union is known: only the truly unknown ones are named.
    const elt = await post('/api/v1/schedules', {
      name: 'n2',
      interval: '@daily',
      extractor: 'tap-demo',
      loader: 'target-demo',
      foo: 1,
      bar: 2,
    });
    expect(elt.json().message).toBe('Invalid body: unknown field(s): foo, bar');
    // Keys of both forms at once: refused, not half-dropped into one form.
    const mixed = await post('/api/v1/schedules', {
      name: 'n3',
      interval: '@daily',
      job: 'demo-job',
      extractor: 'tap-demo',
    });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().message).not.toContain('unknown field');
    const patch = await post('/api/v1/schedules/daily-demo', { colour: 'red' }, 'PATCH');
    expect([patch.statusCode, patch.json().message]).toEqual([400, 'Invalid body: unknown field(s): colour']);
    const login = await app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'surface-viewer', password: 'surface-password', remember: true },
    });
    expect([login.statusCode, login.json().message]).toEqual([
      400,
      'Invalid body: unknown field(s): remember',
    ]);
    // Query strings stay lenient (links and caches add parameters).
    const runs = await app.server.inject({
      url: '/api/v1/runs?cache_buster=1',
      headers: { cookie: cookies.viewer },
    });
    expect(runs.statusCode).toBe(200);
  });

  it('refuses schedule and job names that Meltano would read as options', async () => {
    const call = (method: 'POST' | 'PATCH', url: string, payload: Record<string, unknown>) =>
      app.server.inject({ method, url, payload, headers: { cookie: cookies.regular } });
    const before = fs.readFileSync(path.join(app.root, 'meltano.yml'), 'utf8');
    const refusals = [
      await call('POST', '/api/v1/schedules', { name: '--help', interval: '@daily', job: 'demo-job' }),
      await call('PATCH', '/api/v1/schedules/daily-demo', { name: '-x' }),
      await call('POST', '/api/v1/jobs', { name: '-j', tasks: ['tap-demo target-demo'] }),
      await call('PATCH', '/api/v1/jobs/multi-job', { name: '--version' }),
    ];
    for (const res of refusals) {
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'invalid_input', details: { field: 'name' } });
      expect(res.json().message).toContain("must not start with '-'");
    }
    expect(fs.readFileSync(path.join(app.root, 'meltano.yml'), 'utf8')).toBe(before);
  });
});

describe('ui.api_docs and the web app cache', () => {
  it('turns the API docs off (404) with ui.api_docs false', async () => {
    const app = await startTestApp('sqlite', { env: { MELTANO_UI_API_DOCS: 'false' } });
    try {
      for (const url of ['/api/v1/openapi.json', '/api/v1/docs/', '/api/v1/docs']) {
        const res = await app.server.inject({ url });
        expect([url, res.statusCode, res.json().code]).toEqual([url, 404, 'route_not_found']);
      }
      expect((await app.server.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
    } finally {
      await app.cleanup();
    }
  });

  it('keeps the long cache life of hashed assets (no-store is for the API only)', async () => {
    const { web, app } = await startWithWebApp();
    try {
      const asset = await app.server.inject({ url: '/assets/app-1a2b3c.js' });
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect((await app.server.inject({ url: '/pipelines' })).headers['cache-control']).toBe('no-cache');
    } finally {
      await app.cleanup();
      fs.rmSync(web, { recursive: true, force: true });
    }
  });

  it("gives the web app's pages the document headers and its assets the compact set", async () => {
    const { web, app } = await startWithWebApp();
    try {
      for (const url of ['/', '/pipelines', '/runs/5']) {
        const page = await app.server.inject({ url });
        expect(page.headers['content-type']).toMatch(/^text\/html/);
        const csp = String(page.headers['content-security-policy']);
        expect(csp).toContain("script-src 'self'");
        expect(csp).toContain("style-src 'self'");
        expect(csp).toContain("frame-ancestors 'none'");
        expect(csp).not.toContain('unsafe-inline');
        expect(page.headers['cross-origin-opener-policy']).toBe('same-origin');
        expect(page.headers['x-frame-options']).toBe('DENY');
        expect(page.headers['x-content-type-options']).toBe('nosniff');
      }
      const asset = await app.server.inject({ url: '/assets/app-1a2b3c.js' });
      expect(asset.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(asset.headers['x-content-type-options']).toBe('nosniff');
    } finally {
      await app.cleanup();
      fs.rmSync(web, { recursive: true, force: true });
    }
  });
});
