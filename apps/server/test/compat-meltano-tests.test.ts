import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

// The behaviours Meltano 2.20's own tests asserted of `meltano ui` (reference §7), as tests of the old
// UI's API served here, adapted where this server fixes the old behaviour (README, "Differences from
// the old Meltano UI"). Each test names the Meltano test it checks.

const STANDIN = fileURLToPath(
  new URL('../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url),
);
// The v2.20.0 fixture's users, made by the real Meltano CLI with this salt (fixture README).
const LEGACY_SALT = 'fixture-salt-7f3a9c';
const ALICE = { username: 'alice', password: 'S3cret-pass' };
const BOB = { username: 'bob', password: 'other-pass' };
const AUTH = { MELTANO_UI_AUTHENTICATION: 'true', MELTANO_UI_LEGACY_PASSWORD_SALT: LEGACY_SALT };
const UNAUTHORIZED = 'Authentication is required to access this resource.';
const FORBIDDEN = 'You do not have the required permissions.';
const ADD_GITLAB = { plugin_type: 'extractors', name: 'tap-gitlab' };

type Inject = TestApp['server']['inject'];

async function signIn(inject: Inject, who: { username: string; password: string }): Promise<string> {
  const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: who });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name.endsWith('meltano_ui_session') && c.value !== '');
  return `${cookie?.name}=${cookie?.value}`;
}

/** The four calls test_security.py makes in every mode (upgrade is the other helper's route). */
async function securityCalls(inject: Inject, headers: Record<string, string> = {}) {
  const get = (url: string) => inject({ url, headers });
  const identity = await get('/api/v1/identity');
  const all = await get('/api/v1/plugins/all');
  const add = await inject({ method: 'POST', url: '/api/v1/plugins/add', payload: ADD_GITLAB, headers });
  return { identity, all, add };
}

describe.each(DIALECTS)('test_security.py (%s)', (dialect) => {
  it('defaults (test_defaults): identity anonymous, plugins/all lists extractors, plugins/add adds tap-gitlab', async () => {
    const app = await startTestApp(dialect, { version: 'v2.20.0' });
    try {
      const { identity, all, add } = await securityCalls(app.server.inject.bind(app.server));
      expect(identity.statusCode).toBe(200);
      expect(identity.json()).toMatchObject({ anonymous: true, can_sign_in: false, username: 'Anonymous' });
      expect(all.statusCode).toBe(200);
      expect(Object.keys(all.json())).toContain('extractors');
      expect(add.statusCode, add.body).toBe(200);
      expect(add.json().name).toBe('tap-gitlab');
      expect(fs.readFileSync(path.join(app.root, 'meltano.yml'), 'utf8')).toContain('name: tap-gitlab');
    } finally {
      await app.cleanup();
    }
  });

  it('MELTANO_PROJECT_READONLY (test_project_readonly): plugins/add is 499 "deployed as read-only", reads work', async () => {
    const app = await startTestApp(dialect, {
      version: 'v2.20.0',
      env: { MELTANO_PROJECT_READONLY: 'true' },
    });
    try {
      const { identity, all, add } = await securityCalls(app.server.inject.bind(app.server));
      expect(identity.json()).toMatchObject({ anonymous: true, can_sign_in: false });
      expect(all.statusCode).toBe(200);
      expect(add.statusCode).toBe(499);
      expect(add.json()).toEqual({ error: true, code: 'This Meltano project is deployed as read-only' });
      // The pipeline-schedules POST test (xfail in 2.20, passing in 2.0): 499 too.
      const schedule = await app.server.inject({
        method: 'POST',
        url: '/api/v1/orchestrations/pipeline-schedules',
        payload: {
          name: 'x',
          extractor: 'tap-demo',
          loader: 'target-demo',
          transform: 'skip',
          interval: '@daily',
        },
      });
      expect(schedule.statusCode).toBe(499);
      expect(schedule.body).toContain('deployed as read-only');
    } finally {
      await app.cleanup();
    }
  });

  it('ui.readonly (test_readonly): plugins/all 200, plugins/add 499 "read-only mode"', async () => {
    const app = await startTestApp(dialect, { version: 'v2.20.0', env: { MELTANO_UI_READONLY: 'true' } });
    try {
      const { identity, all, add } = await securityCalls(app.server.inject.bind(app.server));
      expect(identity.json()).toMatchObject({ anonymous: true, can_sign_in: false });
      expect(all.statusCode).toBe(200);
      expect(add.statusCode).toBe(499);
      expect(add.json()).toEqual({ error: true, code: 'Meltano UI is running in read-only mode' });
    } finally {
      await app.cleanup();
    }
  });

  describe('ui.authentication (test_authentication)', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp(dialect, { version: 'v2.20.0', env: AUTH });
    });
    afterAll(() => app.cleanup());

    it('anonymous: identity, plugins, plugins/add are 401 with the exact old text', async () => {
      const { identity, all, add } = await securityCalls(app.server.inject.bind(app.server));
      for (const res of [identity, all, add]) {
        expect(res.statusCode).toBe(401);
      }
      // The compat routes answer the old text body; our identity route keeps our JSON error.
      expect(all.body).toBe(UNAUTHORIZED);
      expect(add.body).toBe(UNAUTHORIZED);
      expect(all.headers['content-type']).toMatch(/^text\/html/);
      expect(identity.json().message).toBe(UNAUTHORIZED);
      // A caller of the old API (it sends X-JSON-SCHEME) gets the old text from /identity too.
      for (const scheme of ['camel', 'snake']) {
        const old = await app.server.inject({
          url: '/api/v1/identity',
          headers: { 'x-json-scheme': scheme },
        });
        expect(old.statusCode).toBe(401);
        expect(old.body).toBe(UNAUTHORIZED);
      }
    });

    it('as alice: identity 200 {username alice, anonymous false, can_sign_in false}, plugins 200, plugins/add 200', async () => {
      const cookie = await signIn(app.server.inject.bind(app.server), ALICE);
      const { identity, all, add } = await securityCalls(app.server.inject.bind(app.server), { cookie });
      expect(identity.json()).toMatchObject({ username: 'alice', anonymous: false, can_sign_in: false });
      expect(all.statusCode).toBe(200);
      expect(add.statusCode, add.body).toBe(200);
    });
  });

  it('ui.authentication + ui.readonly (test_authentication_readonly): anonymous 401; alice plugins/add 499 "read-only mode"', async () => {
    const app = await startTestApp(dialect, {
      version: 'v2.20.0',
      env: { ...AUTH, MELTANO_UI_READONLY: 'true' },
    });
    try {
      const inject = app.server.inject.bind(app.server);
      const anonymous = await securityCalls(inject);
      for (const res of [anonymous.all, anonymous.add]) expect(res.body).toBe(UNAUTHORIZED);
      const cookie = await signIn(inject, ALICE);
      const alice = await securityCalls(inject, { cookie });
      expect(alice.identity.statusCode).toBe(200);
      expect(alice.all.statusCode).toBe(200);
      expect(alice.add.statusCode).toBe(499);
      expect(alice.add.json().code).toContain('read-only mode');
    } finally {
      await app.cleanup();
    }
  });

  it('ui.authentication + ui.anonymous_readonly (test_authentication_anonymous_readonly): anonymous can read, add is 499 "until you sign in"', async () => {
    const app = await startTestApp(dialect, {
      version: 'v2.20.0',
      env: { ...AUTH, MELTANO_UI_ANONYMOUS_READONLY: 'true' },
    });
    try {
      const inject = app.server.inject.bind(app.server);
      const anonymous = await securityCalls(inject);
      expect(anonymous.identity.json()).toMatchObject({ anonymous: true, can_sign_in: true });
      expect(anonymous.all.statusCode).toBe(200);
      expect(anonymous.add.statusCode).toBe(499);
      expect(anonymous.add.json().code).toBe('Meltano UI is running in read-only mode until you sign in');
      // Admin-only routes answer 403 with the old text before any read-only check (as /upgrade did).
      const acl = await inject({
        method: 'POST',
        url: '/api/v1/settings/acl/roles',
        payload: { role: { name: 'x' } },
      });
      expect(acl.statusCode).toBe(403);
      expect(acl.json()).toBe(FORBIDDEN);
      const alice = await securityCalls(inject, { cookie: await signIn(inject, ALICE) });
      expect(alice.add.statusCode, alice.add.body).toBe(200);
    } finally {
      await app.cleanup();
    }
  });
});

describe.each(DIALECTS)('test_settings.py: the ACL routes (%s)', (dialect) => {
  let app: TestApp;
  let inject: Inject;
  let alice: string;
  beforeAll(async () => {
    app = await startTestApp(dialect, { version: 'v2.20.0', env: AUTH });
    inject = app.server.inject.bind(app.server);
    alice = await signIn(inject, ALICE);
  });
  afterAll(() => app.cleanup());

  const roles = async (method: 'POST' | 'DELETE', payload: object, cookie?: string | 'bob') =>
    inject({
      method,
      url: '/api/v1/settings/acl/roles',
      payload,
      // A change of bob's roles signs him out everywhere: he signs in again for each call.
      headers: cookie === undefined ? {} : { cookie: cookie === 'bob' ? await signIn(inject, BOB) : cookie },
    });
  const bob = 'bob';
  const acl = async () => (await inject({ url: '/api/v1/settings/acl', headers: { cookie: alice } })).json();

  it('test_create_role: alice 201 (the role exists afterwards), rob 403, anonymous 401', async () => {
    const created = await roles('POST', { role: { name: 'pytest' } }, alice);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({ name: 'pytest', description: null, permissions: [] });
    expect((await acl()).roles.map((r: { name: string }) => r.name)).toContain('pytest');
    const refused = await roles('POST', { role: { name: 'pytest' } }, bob);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toBe(FORBIDDEN);
    expect((await roles('POST', { role: { name: 'pytest' } })).statusCode).toBe(401);
  });

  it('test_assign_role: alice 201 and the user has the role; rob 403', async () => {
    const assigned = await roles('POST', { role: { name: 'pytest' }, user: 'bob' }, alice);
    expect(assigned.statusCode, assigned.body).toBe(201);
    const users = (await acl()).users as { username: string; roles: string[] }[];
    expect(users.find((u) => u.username === 'bob')?.roles).toContain('pytest');
    expect((await roles('POST', { role: { name: 'pytest' }, user: 'bob' }, bob)).statusCode).toBe(403);
  });

  it('test_unassign_role: alice 201 and the role is removed from the user; rob 403', async () => {
    expect((await roles('DELETE', { role: { name: 'pytest' }, user: 'bob' }, bob)).statusCode).toBe(403);
    const unassigned = await roles('DELETE', { role: { name: 'pytest' }, user: 'bob' }, alice);
    expect(unassigned.statusCode, unassigned.body).toBe(201);
    const users = (await acl()).users as { username: string; roles: string[] }[];
    expect(users.find((u) => u.username === 'bob')?.roles).not.toContain('pytest');
  });

  it('test_delete_admin_role: 403 for alice too; rob 403', async () => {
    const refused = await roles('DELETE', { role: { name: 'admin' } }, alice);
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ name: null, description: null, permissions: null });
    expect((await roles('DELETE', { role: { name: 'admin' } }, bob)).statusCode).toBe(403);
  });

  it('test_delete_role: alice 201 and the role is gone; rob 403', async () => {
    expect((await roles('DELETE', { role: { name: 'pytest' } }, bob)).statusCode).toBe(403);
    const deleted = await roles('DELETE', { role: { name: 'pytest' } }, alice);
    expect(deleted.statusCode, deleted.body).toBe(201);
    expect((await acl()).roles.map((r: { name: string }) => r.name)).not.toContain('pytest');
    expect((await roles('DELETE', { role: { name: 'pytest' } }, alice)).statusCode).toBe(400);
  });

  it('GET acl: a regular user gets 403 with the null-filled body; admins see users, roles, permissions', async () => {
    const refused = await inject({
      url: '/api/v1/settings/acl',
      headers: { cookie: await signIn(inject, BOB) },
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.json()).toEqual({ users: null, roles: null, permissions: null });
    const body = await acl();
    expect(body.permissions).toEqual([]);
    expect(body.roles).toContainEqual(
      expect.objectContaining({
        name: 'admin',
        permissions: expect.arrayContaining([{ type: '*', context: '*' }]),
      }),
    );
    expect(body.users).toContainEqual({
      username: 'alice',
      active: true,
      confirmed_at: null,
      roles: ['admin'],
    });
  });

  it('ui.readonly: the ACL writes answer 499, not the old 500 (fixed)', async () => {
    const ro = await startTestApp(dialect, {
      version: 'v2.20.0',
      env: { ...AUTH, MELTANO_UI_READONLY: 'true' },
    });
    try {
      const cookie = await signIn(ro.server.inject.bind(ro.server), ALICE);
      const res = await ro.server.inject({
        method: 'POST',
        url: '/api/v1/settings/acl/roles',
        payload: { role: { name: 'pytest' } },
        headers: { cookie },
      });
      expect(res.statusCode).toBe(499);
      expect(res.json()).toEqual({ error: true, code: 'Meltano UI is running in read-only mode' });
    } finally {
      await ro.cleanup();
    }
  });
});

describe.each(DIALECTS)('test_orchestration.py: plugin configuration (%s)', (dialect) => {
  let app: TestApp;
  const url = '/api/v1/orchestrations/extractors/tap-demo/configuration';
  beforeAll(async () => {
    app = await startTestApp(dialect, {
      version: 'v2.20.0',
      env: { MELTANO_UI_MELTANO_EXECUTABLE: STANDIN },
    });
  });
  afterAll(() => app.cleanup());

  it('test_get_plugin_configuration: a secret in .env is (redacted), source dotenv, auto_store dotenv, overwritable', async () => {
    const res = await app.server.inject({ url });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.config.api_key).toBe('(redacted)');
    expect(body.config_metadata.api_key).toMatchObject({
      redacted: true,
      source: 'dotenv',
      source_label: '`.env`',
      auto_store: 'dotenv',
      overwritable: true,
      env_var: 'TAP_DEMO_API_KEY',
    });
    expect(body.config.mode).toBe('ok');
    // Extras are in neither config nor settings.
    expect(Object.keys(body.config).some((k) => k.startsWith('_'))).toBe(false);
    expect(body.settings.map((s: { name: string }) => s.name)).toEqual(['mode', 'sleep_seconds', 'api_key']);
  });

  it('test_get_plugin_configuration with X-JSON-SCHEME camel: keys camelCased, config and config_metadata untouched', async () => {
    const body = (await app.server.inject({ url, headers: { 'x-json-scheme': 'camel' } })).json();
    expect(Object.keys(body).sort()).toEqual([
      'config',
      'configMetadata',
      'settings',
      'settingsGroupValidation',
    ]);
    expect(body.configMetadata.api_key).toHaveProperty('source_label');
    expect(body.configMetadata.sleep_seconds).toHaveProperty('auto_store');
  });

  it('test_save_plugin_configuration: the secret is updated in .env and redacted in the answer; (redacted) keeps it', async () => {
    const res = await app.server.inject({
      method: 'PUT',
      url,
      payload: { config: { api_key: 'newvalue', mode: 'fast' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().config.api_key).toBe('(redacted)');
    expect(res.json().config.mode).toBe('fast');
    expect(res.json()).not.toHaveProperty('settings');
    expect(fs.readFileSync(path.join(app.root, '.env'), 'utf8')).toMatch(/^TAP_DEMO_API_KEY=['"]?newvalue/m);
    const untouched = await app.server.inject({
      method: 'PUT',
      url,
      payload: { config: { api_key: '(redacted)' } },
    });
    expect(untouched.statusCode).toBe(200);
    expect(fs.readFileSync(path.join(app.root, '.env'), 'utf8')).toMatch(/^TAP_DEMO_API_KEY=['"]?newvalue/m);
    // An unknown setting is a 400 naming it, not the old 500.
    const unknown = await app.server.inject({ method: 'PUT', url, payload: { config: { nope: 1 } } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().code).toContain('nope');
  });

  it('test_test_plugin_configuration: is_success true when the tap prints a RECORD, false when it fails without one', async () => {
    const ok = await app.server.inject({ method: 'POST', url: `${url}/test`, payload: {} });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({ is_success: true });
    const failing = await app.server.inject({
      method: 'POST',
      url: `${url}/test`,
      payload: { config: { mode: 'fail' } },
    });
    expect(failing.json()).toEqual({ is_success: false });
    const loader = await app.server.inject({
      method: 'POST',
      url: '/api/v1/orchestrations/loaders/target-demo/configuration/test',
      payload: {},
    });
    expect(loader.statusCode).toBe(400);
  });
});

describe.each(DIALECTS)('test_root.py (%s)', (dialect) => {
  it('test_health: GET /api/v1/health → 200 {healthy: true}, with authentication on too (fixed)', async () => {
    const app = await startTestApp(dialect, { version: 'v2.20.0', env: AUTH });
    try {
      const res = await app.server.inject({ url: '/api/v1/health' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ healthy: true });
    } finally {
      await app.cleanup();
    }
  });
});
