import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

const SECRET = 'sk-plugin-writes-test-9f2c';

describe.each(DIALECTS)('plugins and settings from the API (%s)', (dialect) => {
  let app: TestApp;
  let logs: string[];
  const file = (name: string) => fs.readFileSync(path.join(app.root, name), 'utf8');
  const send = async (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown, headers = {}) => {
    const res = await app.server.inject({ method, url, payload: payload as object, headers });
    return { status: res.statusCode, body: res.json(), raw: res.body };
  };

  beforeAll(async () => {
    logs = [];
    // An active environment (staging): plain values go to its block in meltano.yml, as Meltano's auto store does.
    app = await startTestApp(dialect, { logLines: logs, env: { MELTANO_ENVIRONMENT: 'staging' } });
  });
  afterAll(() => app.cleanup());

  it('serves the bundled catalog, marked offline, when Meltano Hub cannot be reached', async () => {
    const res = await app.server.inject({ url: '/api/v1/plugins/catalog' });
    expect(res.statusCode).toBe(200);
    const catalog = res.json();
    expect(catalog.source).toBe('offline');
    expect(catalog.plugins.extractors.length).toBeGreaterThan(5);
    const def = await app.server.inject({ url: '/api/v1/plugins/catalog/loaders/target-jsonl' });
    expect(def.statusCode).toBe(200);
    expect(def.json()).toMatchObject({ source: 'offline', name: 'target-jsonl' });
  });

  it('adds a catalog plugin with its variant and lock file, and removes it again byte for byte', async () => {
    const before = file('meltano.yml');
    const added = await send('POST', '/api/v1/plugins', { type: 'loaders', name: 'target-jsonl' });
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({
      name: 'target-jsonl',
      source_file: 'meltano.yml',
      definition_source: 'offline',
    });
    expect(added.body.lock_file).toMatch(/^plugins\/loaders\/target-jsonl--.*\.lock$/);
    expect(file('meltano.yml')).toContain('- name: target-jsonl');
    const dup = await send('POST', '/api/v1/plugins', { type: 'loaders', name: 'target-jsonl' });
    expect(dup.status).toBe(409);
    const removed = await send('DELETE', '/api/v1/plugins/loaders/target-jsonl');
    expect(removed.status).toBe(200);
    expect(file('meltano.yml')).toBe(before);
  });

  it('refuses to remove a plugin in use, naming what uses it, unless forced', async () => {
    const refused = await send('DELETE', '/api/v1/plugins/loaders/target-demo');
    expect(refused.status).toBe(409);
    expect(refused.raw).toContain('daily-demo');
    const bad = await send('POST', '/api/v1/plugins', { type: 'widgets', name: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.field).toBe('type');
  });

  it('writes a secret to .env only, a plain value to the environment block, and unsets them', async () => {
    const secret = await send('PUT', '/api/v1/plugins/extractors/tap-demo/settings/api_key', {
      value: SECRET,
    });
    expect(secret.status).toBe(200);
    expect(secret.body).toMatchObject({ store: 'dotenv', file: '.env', env_var: 'TAP_DEMO_API_KEY' });
    expect(secret.raw).not.toContain(SECRET);
    expect(file('.env')).toContain(`TAP_DEMO_API_KEY='${SECRET}'`);
    expect(file('meltano.yml')).not.toContain(SECRET);

    const plain = await send('PUT', '/api/v1/plugins/extractors/tap-demo/settings/sleep_seconds', {
      value: 3,
    });
    expect(plain.body).toMatchObject({ store: 'meltano_environment', file: 'meltano.yml' });
    expect(plain.body.resolved).toMatchObject({ value: 3, source: 'meltano_environment' });
    const wrongKind = await send('PUT', '/api/v1/plugins/extractors/tap-demo/settings/sleep_seconds', {
      value: 'soon',
    });
    expect(wrongKind.status).toBe(400);

    const stale = await send(
      'PUT',
      '/api/v1/plugins/extractors/tap-demo/settings/sleep_seconds',
      { value: 4 },
      { 'if-match': 'not-the-version' },
    );
    expect(stale.status).toBe(409);
    const nowhere = await send('PUT', '/api/v1/plugins/extractors/tap-demo/settings/mode?environment=nope', {
      value: 'x',
    });
    expect(nowhere.status).toBe(404);
    const unset = await send('DELETE', '/api/v1/plugins/extractors/tap-demo/settings/sleep_seconds');
    expect(unset.body.removed_from).toEqual(['meltano_environment']);
    expect(file('meltano.yml')).not.toContain('sleep_seconds: 3');
    expect(logs.join('\n')).not.toContain(SECRET);
  });

  it('shows its own writes at once, although the project files are otherwise read once a minute', async () => {
    const cached = await startTestApp(dialect, { projectCheckIntervalMs: 60_000 });
    try {
      const get = async (url: string) => (await cached.server.inject({ url })).json();
      const write = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
        cached.server.inject({ method, url, ...(payload ? { payload } : {}) });
      expect(Object.keys((await get('/api/v1/plugins')).plugins)).not.toContain('utilities');
      const added = await write('POST', '/api/v1/plugins', { type: 'loaders', name: 'target-jsonl' });
      expect(added.statusCode).toBe(201);
      const names = (await get('/api/v1/plugins')).plugins.loaders.map((p: { name: string }) => p.name);
      expect(names).toContain('target-jsonl');
      const path = '/api/v1/plugins/loaders/target-jsonl/settings';
      const set = await write('PUT', `${path}/destination_path`, { value: 'out/jsonl' });
      expect(set.statusCode).toBe(200);
      const settings = (await get(path)).settings as { name: string; value: unknown }[];
      expect(settings.find((s) => s.name === 'destination_path')?.value).toBe('out/jsonl');
      expect((await write('DELETE', '/api/v1/plugins/loaders/target-jsonl')).statusCode).toBe(200);
      const after = (await get('/api/v1/plugins')).plugins.loaders.map((p: { name: string }) => p.name);
      expect(after).not.toContain('target-jsonl');
    } finally {
      await cached.cleanup();
    }
  });

  it('with project_readonly, refuses plugin changes (499) and sends settings to the system database', async () => {
    const ro = await startTestApp(dialect, {
      env: { MELTANO_PROJECT_READONLY: 'true', MELTANO_ENVIRONMENT: 'staging' },
    });
    try {
      const yml = fs.readFileSync(path.join(ro.root, 'meltano.yml'), 'utf8');
      const add = await ro.server.inject({
        method: 'POST',
        url: '/api/v1/plugins',
        payload: { type: 'loaders', name: 'target-jsonl' },
      });
      expect(add.statusCode).toBe(499);
      expect(add.json().code).toBe('This Meltano project is deployed as read-only');
      const set = await ro.server.inject({
        method: 'PUT',
        url: '/api/v1/plugins/loaders/target-demo/settings/output_dir',
        payload: { value: 'elsewhere' },
      });
      // output_dir is in meltano.yml, which a read-only project cannot change: the value there would win.
      expect([200, 409]).toContain(set.statusCode);
      if (set.statusCode === 200) expect(set.json().store).toBe('db');
      else expect(set.json().code).toBe('setting_locked');
      const sleep = await ro.server.inject({
        method: 'PUT',
        url: '/api/v1/plugins/extractors/tap-demo/settings/sleep_seconds',
        payload: { value: 7 },
      });
      expect(sleep.statusCode).toBe(200);
      expect(sleep.json()).toMatchObject({ store: 'db', file: null });
      expect(fs.readFileSync(path.join(ro.root, 'meltano.yml'), 'utf8')).toBe(yml);
    } finally {
      await ro.cleanup();
    }
  });
});
