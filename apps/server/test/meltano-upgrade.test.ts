import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAuthService } from '@meltano-ui/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, TEST_SECRETS, type TestApp } from './support/test-app.js';
import { until } from './support/wait.js';

// `meltano upgrade` is run by the Meltano-CLI stand-in (test-fixtures/meltano-standin), not the real
// Meltano: it prints Meltano's lines and reports the new version (STANDIN_UPGRADE_TO) afterwards.
const STANDIN = fileURLToPath(
  new URL('../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url),
);
// This machine may be a Docker container itself (Meltano refuses there): tests name another marker.
const NO_CONTAINER = path.join(os.tmpdir(), 'meltano-ui-test-no-dockerenv');

/** A local imitation of PyPI's JSON API; the first path segment picks the answer. */
async function startFakePypi() {
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const mode = (req.url ?? '').split('/')[1];
    if (mode === 'hang') return void open.add(res);
    if (mode === 'bad-json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return void res.end('{"info": ');
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ info: { name: 'meltano', version: mode === 'same' ? '3.9.5' : '4.3.0' } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (mode: string) => `${base}/${mode}/pypi/meltano/json`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
      }),
  };
}

let pypi: Awaited<ReturnType<typeof startFakePypi>>;
beforeAll(async () => {
  pypi = await startFakePypi();
});
afterAll(() => pypi.close());

const upgradeEnv = (extra: Record<string, string> = {}) => ({
  MELTANO_UI_MELTANO_EXECUTABLE: STANDIN,
  MELTANO_UI_CONTAINER_MARKER: NO_CONTAINER,
  STANDIN_DELAY_MS: '20',
  STANDIN_UPGRADE_TO: '4.3.0',
  ...extra,
});

describe.each(DIALECTS)('upgrading Meltano from the UI (%s)', (dialect) => {
  let app: TestApp;
  const call = async (method: 'GET' | 'POST', url: string) => {
    const res = await app.server.inject({ method, url });
    return { status: res.statusCode, body: res.json(), headers: res.headers };
  };
  beforeAll(async () => {
    app = await startTestApp(dialect, {
      env: upgradeEnv({ MELTANO_UI_PYPI_URL: pypi.url(`newer-${dialect}`) }),
    });
  });
  afterAll(() => app.cleanup());

  it('shows the CLI’s version and the newer one on PyPI, then upgrades with the output live, and shows the new version', async () => {
    const before = await call('GET', '/api/v1/meltano');
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      version: '3.9.5',
      available: true,
      latest_version: '4.3.0',
      latest_source: 'pypi',
      latest_error: null,
      upgrade_available: true,
      upgrade: { allowed: true, reason: null, latest: null },
    });

    const started = await call('POST', '/api/v1/meltano/upgrade');
    expect(started.status).toBe(202);
    expect(started.body).toMatchObject({ argv: [STANDIN, 'upgrade'], refusal: null });
    const id = started.body.id as string;

    let text = '';
    let offset = 0;
    await until('the upgrade output to end', async () => {
      const chunk = await call('GET', `/api/v1/meltano/upgrades/${id}/output?offset=${offset}`);
      expect(chunk.status).toBe(200);
      expect(chunk.body.offset).toBe(offset);
      text += chunk.body.text;
      offset = chunk.body.offset + chunk.body.length;
      return chunk.body.status !== 'running' && chunk.body.eof ? chunk.body : null;
    });
    expect(text).toMatch(
      /^Upgrading `meltano` package\.\.\.\n[\s\S]*Successfully installed meltano-4\.3\.0\n/,
    );
    expect(text).toMatch(/Meltano and your Meltano project have been upgraded!\n$/);
    const done = await call('GET', `/api/v1/meltano/upgrades/${id}`);
    expect(done.body).toMatchObject({ id, status: 'success', exit_code: 0 });

    const after = await call('GET', '/api/v1/meltano');
    expect(after.body).toMatchObject({
      version: '4.3.0',
      latest_version: '4.3.0',
      upgrade_available: false,
      upgrade: { allowed: true, latest: { id, status: 'success' } },
    });
    // The project page's view of the CLI follows.
    expect((await call('GET', '/api/v1/project')).body.meltano.version).toBe('4.3.0');
  });

  it('answers the old GET /api/v1/version, with latest_version only when include_latest is truthy', async () => {
    const plain = await call('GET', '/api/v1/version');
    expect(plain.status).toBe(200);
    expect(plain.body).toEqual({ version: '4.3.0' });
    for (const word of ['true', '1', 'YES', 'On']) {
      expect((await call('GET', `/api/v1/version?include_latest=${word}`)).body).toEqual({
        version: '4.3.0',
        latest_version: '4.3.0',
      });
    }
    for (const word of ['false', '0', 'no', '', 'maybe']) {
      expect((await call('GET', `/api/v1/version?include_latest=${word}`)).body).toEqual({
        version: '4.3.0',
      });
    }
  });

  it('starts `meltano upgrade` from the old POST /api/v1/upgrade: 201, text/html, Meltano’s sentence', async () => {
    const res = await app.server.inject({ method: 'POST', url: '/api/v1/upgrade' });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toBe('Meltano update in progress.');
    const latest = await until('the upgrade to end', async () => {
      const { body } = await call('GET', '/api/v1/meltano');
      return body.upgrade.latest?.status === 'success' ? body.upgrade.latest : null;
    });
    expect(latest.argv).toEqual([STANDIN, 'upgrade']);
  });

  it('refuses a second upgrade while one runs (409), and a bad upgrade id (400, 404)', async () => {
    const slow = await startTestApp(dialect, {
      env: upgradeEnv({ STANDIN_DELAY_MS: '400', MELTANO_UI_PYPI_URL: pypi.url('newer') }),
    });
    try {
      const first = await slow.server.inject({ method: 'POST', url: '/api/v1/meltano/upgrade' });
      expect(first.statusCode).toBe(202);
      const second = await slow.server.inject({ method: 'POST', url: '/api/v1/meltano/upgrade' });
      expect(second.statusCode).toBe(409);
      expect(second.json()).toMatchObject({
        code: 'upgrade_running',
        details: { upgrade_id: first.json().id },
      });
      const old = await slow.server.inject({ method: 'POST', url: '/api/v1/upgrade' });
      expect(old.statusCode).toBe(409);
      const status = (await slow.server.inject({ method: 'GET', url: '/api/v1/meltano' })).json();
      expect(status.upgrade).toMatchObject({ allowed: false, reason: 'Meltano is being upgraded already' });
      await until('the upgrade to end', async () => {
        const res = await slow.server.inject({
          method: 'GET',
          url: `/api/v1/meltano/upgrades/${first.json().id}`,
        });
        return res.json().status === 'running' ? null : true;
      });
    } finally {
      await slow.cleanup();
    }
    expect((await call('GET', '/api/v1/meltano/upgrades/not-a-uuid')).status).toBe(400);
    const missing = await call('GET', '/api/v1/meltano/upgrades/00000000-0000-4000-8000-000000000000/output');
    expect(missing.status).toBe(404);
  });
});

describe('PyPI unreachable, slow or broken, and Meltano refusing', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.cleanup();
  });
  const start = async (env: Record<string, string>) => {
    const app = await startTestApp('sqlite', { env: upgradeEnv(env) });
    apps.push(app);
    return app;
  };

  it('answers latest_version null, never an error, when PyPI is down, hangs or sends bad JSON', async () => {
    for (const mode of ['closed', 'hang', 'bad-json'] as const) {
      const url = mode === 'closed' ? 'http://127.0.0.1:9/pypi/meltano/json' : pypi.url(mode);
      const app = await start({ MELTANO_UI_PYPI_URL: url });
      const old = await app.server.inject({ method: 'GET', url: '/api/v1/version?include_latest=true' });
      expect(old.statusCode).toBe(200);
      expect(old.json()).toEqual({ version: '3.9.5', latest_version: null });
      const ours = (await app.server.inject({ method: 'GET', url: '/api/v1/meltano' })).json();
      expect(ours).toMatchObject({ version: '3.9.5', latest_version: null, upgrade_available: false });
      expect(ours.latest_error).toEqual(expect.any(String));
    }
  });

  it('asks nothing when ui.check_for_updates is false', async () => {
    const app = await start({
      MELTANO_UI_CHECK_FOR_UPDATES: 'false',
      MELTANO_UI_PYPI_URL: pypi.url('newer'),
    });
    const body = (await app.server.inject({ method: 'GET', url: '/api/v1/meltano' })).json();
    expect(body).toMatchObject({ latest_version: null, latest_source: 'off', latest_checked_at: null });
    const old = await app.server.inject({ method: 'GET', url: '/api/v1/version?include_latest=1' });
    expect(old.json()).toEqual({ version: '3.9.5', latest_version: null });
  });

  it('says Meltano refuses inside Docker, and refuses to start the upgrade (409)', async () => {
    const app = await start({ MELTANO_UI_CONTAINER_MARKER: STANDIN, MELTANO_UI_PYPI_URL: pypi.url('newer') });
    const body = (await app.server.inject({ method: 'GET', url: '/api/v1/meltano' })).json();
    expect(body.upgrade.allowed).toBe(false);
    expect(body.upgrade.reason).toMatch(
      /^The `meltano` package cannot be upgraded automatically here because it is installed inside Docker\. To upgrade manually, pull the latest Docker image/,
    );
    const res = await app.server.inject({ method: 'POST', url: '/api/v1/meltano/upgrade' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'upgrade_refused',
      details: { reason: 'it is installed inside Docker' },
    });
    expect((await app.server.inject({ method: 'POST', url: '/api/v1/upgrade' })).statusCode).toBe(409);
  });

  it('reports an upgrade Meltano refused by its output (installed from source)', async () => {
    const app = await start({
      STANDIN_UPGRADE_EDITABLE: '/src/meltano',
      MELTANO_UI_PYPI_URL: pypi.url('newer'),
    });
    const started = (await app.server.inject({ method: 'POST', url: '/api/v1/meltano/upgrade' })).json();
    const done = await until('the upgrade to end', async () => {
      const res = await app.server.inject({ method: 'GET', url: `/api/v1/meltano/upgrades/${started.id}` });
      const body = res.json() as { status: string; refusal: string | null };
      return body.status === 'running' ? null : body;
    });
    expect(done).toMatchObject({ status: 'refused', exit_code: 0 });
    expect(done.refusal).toContain('because it is installed from source');
    expect((await app.server.inject({ method: 'GET', url: '/api/v1/meltano' })).json().version).toBe('3.9.5');
  });
});

describe('who may upgrade', () => {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.cleanup();
  });
  const start = async (env: Record<string, string> = {}) => {
    const app = await startTestApp('sqlite', {
      env: upgradeEnv({ MELTANO_UI_AUTHENTICATION: 'true', MELTANO_UI_PYPI_URL: pypi.url('newer'), ...env }),
    });
    apps.push(app);
    const auth = createAuthService({ db: app.core.db, passwordSalt: TEST_SECRETS.MELTANO_UI_PASSWORD_SALT });
    const cookies: Record<string, string> = {};
    for (const role of ['viewer', 'regular', 'admin'] as const) {
      await auth.users.create({ username: `u-${role}`, password: 'upgrade-password', roles: [role] });
      const res = await app.server.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: `u-${role}`, password: 'upgrade-password' },
      });
      const cookie = res.cookies.find((c) => c.name === 'meltano_ui_session');
      cookies[role] = `${cookie?.name}=${cookie?.value}`;
    }
    const as = (who: string | null, method: 'GET' | 'POST', url: string) =>
      app.server.inject({ method, url, headers: who ? { cookie: cookies[who] as string } : {} });
    return { app, as };
  };

  it('lets admins upgrade; a regular user or viewer is told why not and refused 403; anonymous 401', async () => {
    const { as } = await start();
    for (const who of ['viewer', 'regular']) {
      const status = (await as(who, 'GET', '/api/v1/meltano')).json();
      expect(status).toMatchObject({ version: '3.9.5', latest_version: '4.3.0', latest_error: null });
      expect(status.upgrade).toMatchObject({ allowed: false, latest: null });
      expect(status.upgrade.reason).toMatch(
        /^You do not have the required permissions: this needs the admin role/,
      );
      expect((await as(who, 'POST', '/api/v1/meltano/upgrade')).statusCode).toBe(403);
      expect((await as(who, 'POST', '/api/v1/upgrade')).statusCode).toBe(403);
    }
    expect((await as(null, 'GET', '/api/v1/meltano')).statusCode).toBe(401);
    expect((await as(null, 'GET', '/api/v1/version')).statusCode).toBe(401);
    expect((await as(null, 'POST', '/api/v1/upgrade')).statusCode).toBe(401);
    expect((await as('admin', 'GET', '/api/v1/meltano')).json().upgrade).toMatchObject({
      allowed: true,
      reason: null,
    });
    const res = await as('admin', 'POST', '/api/v1/upgrade');
    expect(res.statusCode).toBe(201);
    expect(res.body).toBe('Meltano update in progress.');
  });

  it('refuses under ui.readonly (499), not under project_readonly; anonymous readers get 403 as in Meltano', async () => {
    const readonly = await start({ MELTANO_UI_READONLY: 'true' });
    const refused = await readonly.as('admin', 'POST', '/api/v1/upgrade');
    expect(refused.statusCode).toBe(499);
    expect(refused.json()).toMatchObject({ error: true, code: 'Meltano UI is running in read-only mode' });
    expect((await readonly.as('admin', 'POST', '/api/v1/meltano/upgrade')).statusCode).toBe(499);
    expect((await readonly.as('admin', 'GET', '/api/v1/meltano')).json().upgrade).toMatchObject({
      allowed: false,
      reason: 'Meltano UI is running in read-only mode',
    });

    const project = await start({ MELTANO_PROJECT_READONLY: 'true' });
    expect((await project.as('admin', 'POST', '/api/v1/upgrade')).statusCode).toBe(201);

    const anonymous = await start({ MELTANO_UI_ANONYMOUS_READONLY: 'true' });
    expect((await anonymous.as(null, 'POST', '/api/v1/upgrade')).statusCode).toBe(403);
    const status = (await anonymous.as(null, 'GET', '/api/v1/meltano')).json();
    expect(status.upgrade.allowed).toBe(false);
  });
});
