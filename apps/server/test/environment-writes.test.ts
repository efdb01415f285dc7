import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

describe.each(DIALECTS)('changing environments (%s)', (dialect) => {
  let app: TestApp;
  const send = async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    payload?: unknown,
    headers = {},
  ) => {
    const res = await app.server.inject({
      method,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.json() };
  };
  const meltanoYml = () => fs.readFileSync(path.join(app.root, 'meltano.yml'), 'utf8');
  const versionOf = async (name: string) =>
    ((await send('GET', '/api/v1/project')).body.environments as { name: string; version: string }[]).find(
      (e) => e.name === name,
    )?.version;

  beforeAll(async () => {
    app = await startTestApp(dialect, {});
  });
  afterAll(() => app.cleanup());

  it('creates an environment, edits its env and plugin overrides with If-Match, and deletes it', async () => {
    const original = meltanoYml();
    const created = await send('POST', '/api/v1/environments', { name: 'qa', env: { QA_FLAG: '1' } });
    expect(created).toMatchObject({
      status: 201,
      body: { name: 'qa', source_file: 'meltano.yml', warnings: [] },
    });
    expect(await versionOf('qa')).toBe(created.body.version);

    const patched = await send(
      'PATCH',
      '/api/v1/environments/qa',
      { plugins: [{ type: 'extractors', name: 'tap-demo', config: { mode: 'ok-qa' } }] },
      { 'if-match': created.body.version },
    );
    expect(patched.status).toBe(200);
    const settings = await send('GET', '/api/v1/plugins/extractors/tap-demo/settings?environment=qa');
    expect(settings.body.settings.find((s: { name: string }) => s.name === 'mode')).toMatchObject({
      value: 'ok-qa',
      source: 'meltano_environment',
    });
    // The version the edit was based on is gone: a second edit from it is refused.
    const stale = await send(
      'PATCH',
      '/api/v1/environments/qa',
      { env: {} },
      { 'if-match': created.body.version },
    );
    expect(stale).toMatchObject({ status: 409, body: { code: 'environment_changed' } });
    expect(await send('PATCH', '/api/v1/environments/qa', { env: {}, extra: 1 })).toMatchObject({
      status: 400,
    });
    expect(await send('PATCH', '/api/v1/environments/qa', {})).toMatchObject({ status: 400 });

    const removed = await send('DELETE', '/api/v1/environments/qa', undefined, {
      'if-match': patched.body.version,
    });
    expect(removed).toMatchObject({ status: 200, body: { name: 'qa', version: null } });
    // Back to the very bytes it started from: nothing else in the file was touched.
    expect(meltanoYml()).toBe(original);
    expect(await send('DELETE', '/api/v1/environments/qa')).toMatchObject({
      status: 404,
      body: { code: 'environment_not_found' },
    });
  });

  it('renames, naming the state IDs that change; the active choice follows; deletes are refused for the active and default ones', async () => {
    expect((await send('PUT', '/api/v1/project/active-environment', { environment: 'staging' })).status).toBe(
      200,
    );
    const renamed = await send('PATCH', '/api/v1/environments/staging', { name: 'stage' });
    expect(renamed.status).toBe(200);
    expect(renamed.body.state_id_changes).toEqual([
      { job: 'demo-job', from: 'staging:tap-demo-to-target-demo', to: 'stage:tap-demo-to-target-demo' },
      { job: 'multi-job', from: 'staging:tap-demo-to-target-demo', to: 'stage:tap-demo-to-target-demo' },
      {
        job: 'multi-job',
        from: 'staging:tap-demo-fail-to-target-demo',
        to: 'stage:tap-demo-fail-to-target-demo',
      },
    ]);
    expect((await send('GET', '/api/v1/project')).body).toMatchObject({
      active_environment: 'stage',
      active_environment_source: 'ui',
    });
    expect(await send('DELETE', '/api/v1/environments/stage')).toMatchObject({
      status: 409,
      body: { code: 'environment_active' },
    });
    expect(await send('DELETE', '/api/v1/environments/dev')).toMatchObject({
      status: 409,
      body: { code: 'environment_is_default' },
    });
    expect(await send('PATCH', '/api/v1/environments/dev', { name: 'development' })).toMatchObject({
      status: 409,
      body: { code: 'environment_is_default' },
    });
    await send('PUT', '/api/v1/project/active-environment', { environment: 'dev' });
    expect((await send('PATCH', '/api/v1/environments/stage', { name: 'staging' })).status).toBe(200);
  });
});

describe('environment writes under project_readonly', () => {
  it('are refused with 499, the file untouched', async () => {
    const app = await startTestApp('sqlite', { env: { MELTANO_PROJECT_READONLY: 'true' } });
    try {
      const before = fs.readFileSync(path.join(app.root, 'meltano.yml'), 'utf8');
      for (const [method, url, payload] of [
        ['POST', '/api/v1/environments', { name: 'qa' }],
        ['PATCH', '/api/v1/environments/prod', { env: { A: '1' } }],
        ['DELETE', '/api/v1/environments/prod', undefined],
      ] as const) {
        const res = await app.server.inject({ method, url, ...(payload ? { payload } : {}) });
        expect([res.statusCode, res.json().code]).toEqual([
          499,
          'This Meltano project is deployed as read-only',
        ]);
      }
      expect(fs.readFileSync(path.join(app.root, 'meltano.yml'), 'utf8')).toBe(before);
    } finally {
      await app.cleanup();
    }
  });
});
