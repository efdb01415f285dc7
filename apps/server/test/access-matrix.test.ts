import { randomUUID } from 'node:crypto';
import { type Access, createAuthService } from '@meltano-ui/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, TEST_SECRETS, type TestApp } from './support/test-app.js';

/**
 * The declared policy: every API route and who may call it. The server's own route list must match
 * it exactly, so a new route cannot be added without deciding (here) who may call it.
 */
const POLICY: Record<string, Access> = {
  'GET /api/v1/health': 'public',
  'GET /api/v1/ready': 'public',
  // Its own gate (an API token or this machine, when ui.metrics_enabled): test/metrics.test.ts.
  'GET /api/v1/metrics': 'public',
  'GET /api/v1/openapi.json': 'read',
  'POST /api/v1/auth/login': 'public',
  'POST /api/v1/auth/logout': 'public',
  // Single sign-on: the way in (routes/oidc.ts; test/oidc.test.ts signs in through a real provider).
  'GET /api/v1/auth/methods': 'public',
  'GET /api/v1/auth/oidc/login': 'public',
  'GET /api/v1/auth/oidc/callback': 'public',
  'GET /api/v1/auth/oidc/end-session': 'public',
  'GET /api/v1/identity': 'read',
  'GET /api/v1/project': 'read',
  'GET /api/v1/plugins': 'read',
  'GET /api/v1/plugins/:type/:name': 'read',
  'GET /api/v1/plugins/:type/:name/settings': 'read',
  'GET /api/v1/schedules': 'read',
  'GET /api/v1/schedules/:name': 'read',
  'GET /api/v1/jobs': 'read',
  'GET /api/v1/jobs/:name': 'read',
  'GET /api/v1/schedules/:name/environment': 'read',
  'GET /api/v1/jobs/:name/environment': 'read',
  'PUT /api/v1/project/active-environment': 'admin-change',
  'POST /api/v1/environments': 'edit-project',
  'PATCH /api/v1/environments/:name': 'edit-project',
  'DELETE /api/v1/environments/:name': 'edit-project',
  'GET /api/v1/state': 'read',
  'GET /api/v1/state/:state_id': 'read',
  // Singer state is not a project file: like running a pipeline, allowed under project_readonly.
  'PUT /api/v1/state/:state_id': 'operate',
  'PATCH /api/v1/state/:state_id': 'operate',
  'DELETE /api/v1/state/:state_id': 'operate',
  'POST /api/v1/state/:state_id/copy': 'operate',
  'GET /api/v1/intervals/preview': 'read',
  'GET /api/v1/runs': 'read',
  'GET /api/v1/runs/:id': 'read',
  'GET /api/v1/runs/:id/metrics': 'read',
  'GET /api/v1/runs/records-by-stream': 'read',
  'GET /api/v1/runs/:id/log': 'read',
  'GET /api/v1/runs/:id/log/search': 'read',
  'GET /api/v1/runs/:id/log/lines': 'read',
  'GET /api/v1/runs/:id/log/stream': 'read',
  'GET /api/v1/runs/:id/log/download': 'read',
  'GET /api/v1/runs/:id/launch': 'read',
  'GET /api/v1/launches/:launch': 'read',
  'GET /api/v1/launches/:launch/output': 'read',
  'GET /api/v1/plugins/catalog': 'read',
  'GET /api/v1/plugins/catalog/:type/:name': 'read',
  'GET /api/v1/installs/:install': 'read',
  'GET /api/v1/installs/:install/output': 'read',
  'POST /api/v1/plugins/:type/:name/install': 'operate',
  'GET /api/v1/meltano': 'read',
  // Admins only; ui.readonly refuses it, project_readonly does not (as the old POST /upgrade).
  'POST /api/v1/meltano/upgrade': 'admin-change',
  'GET /api/v1/meltano/upgrades/:upgrade': 'admin-read',
  'GET /api/v1/meltano/upgrades/:upgrade/output': 'admin-read',
  'GET /api/v1/version': 'read',
  'POST /api/v1/upgrade': 'admin-change',
  'POST /api/v1/plugins': 'edit-project',
  'DELETE /api/v1/plugins/:type/:name': 'edit-project',
  'PUT /api/v1/plugins/:type/:name/settings/:setting': 'edit-settings',
  'DELETE /api/v1/plugins/:type/:name/settings/:setting': 'edit-settings',
  'POST /api/v1/schedules/:name/run': 'operate',
  'POST /api/v1/jobs/:name/run': 'operate',
  'POST /api/v1/runs/:id/cancel': 'operate',
  'POST /api/v1/runs/:id/retry': 'operate',
  'GET /api/v1/schedules/:name/run-options': 'read',
  'GET /api/v1/jobs/:name/run-options': 'read',
  'POST /api/v1/schedules': 'edit-project',
  'PATCH /api/v1/schedules/:name': 'edit-project',
  'DELETE /api/v1/schedules/:name': 'edit-project',
  'POST /api/v1/jobs': 'edit-project',
  'PATCH /api/v1/jobs/:name': 'edit-project',
  'DELETE /api/v1/jobs/:name': 'edit-project',
  'POST /api/v1/account/password': 'account',
  'GET /api/v1/account/tokens': 'account',
  'POST /api/v1/account/tokens': 'account',
  'DELETE /api/v1/account/tokens/:token_id': 'account',
  'GET /api/v1/users': 'admin-read',
  'GET /api/v1/roles': 'admin-read',
  'GET /api/v1/users/:id/tokens': 'admin-read',
  'GET /api/v1/notifications/channels': 'admin-read',
  'POST /api/v1/notifications/channels': 'admin-change',
  'PATCH /api/v1/notifications/channels/:id': 'admin-change',
  'DELETE /api/v1/notifications/channels/:id': 'admin-change',
  'POST /api/v1/notifications/channels/:id/test': 'admin-change',
  'GET /api/v1/notifications/rules': 'admin-read',
  'POST /api/v1/notifications/rules': 'admin-change',
  'PATCH /api/v1/notifications/rules/:id': 'admin-change',
  'DELETE /api/v1/notifications/rules/:id': 'admin-change',
  'GET /api/v1/notifications/deliveries': 'admin-read',
  // Append-only: no route changes or deletes an entry (the retention purge does, in core).
  'GET /api/v1/audit': 'admin-read',
  'GET /api/v1/audit/export': 'admin-read',
  'POST /api/v1/users': 'admin-change',
  'PATCH /api/v1/users/:id': 'admin-change',
  'DELETE /api/v1/users/:id': 'admin-change',
  'DELETE /api/v1/users/:id/tokens/:token_id': 'admin-change',
  'GET /api/v1/deployments': 'read',
  'GET /api/v1/deployments/:id': 'read',
  'GET /api/v1/deployments/compare': 'read',
  'GET /api/v1/workspaces': 'read',
  'POST /api/v1/deployments': 'deploy',
  // Authenticated by its signature over the body, not by who asks (tested in deployments.test.ts).
  'POST /api/v1/deployments/github-webhook': 'public',
  // The old Meltano UI's API (routes/compat): the same levels as our own routes that do the same.
  'GET /api/v1/plugins/all': 'read',
  'GET /api/v1/plugins/installed': 'read',
  'POST /api/v1/plugins/add': 'edit-project',
  'POST /api/v1/plugins/install/batch': 'edit-project',
  'POST /api/v1/plugins/install': 'operate',
  'POST /api/v1/orchestrations/jobs/state': 'read',
  'GET /api/v1/orchestrations/jobs/:state_id/log': 'read',
  'GET /api/v1/orchestrations/jobs/:state_id/download': 'read',
  'POST /api/v1/orchestrations/run': 'operate',
  'GET /api/v1/orchestrations/pipeline-schedules': 'read',
  'POST /api/v1/orchestrations/pipeline-schedules': 'edit-project',
  'PUT /api/v1/orchestrations/pipeline-schedules': 'edit-project',
  'DELETE /api/v1/orchestrations/pipeline-schedules': 'edit-project',
  'GET /api/v1/orchestrations/:plugin_type/:plugin_name/configuration': 'read',
  'PUT /api/v1/orchestrations/:plugin_type/:plugin_name/configuration': 'edit-settings',
  'POST /api/v1/orchestrations/:plugin_type/:plugin_name/configuration/test': 'edit-settings',
  'POST /api/v1/orchestrations/:plugin_type/:plugin_name/configuration/upload-file': 'edit-settings',
  'POST /api/v1/orchestrations/:plugin_type/:plugin_name/configuration/delete-uploaded-file': 'edit-settings',
  'GET /api/v1/orchestrations/subscriptions': 'read',
  'POST /api/v1/orchestrations/subscriptions': 'operate',
  'DELETE /api/v1/orchestrations/subscriptions/:id': 'operate',
  'GET /api/v1/settings/acl': 'admin-read',
  'POST /api/v1/settings/acl/roles': 'admin-change',
  'DELETE /api/v1/settings/acl/roles': 'admin-change',
  'POST /api/v1/settings/acl/roles/permissions': 'admin-change',
  'DELETE /api/v1/settings/acl/roles/permissions': 'admin-change',
};

const WHO = ['anonymous', 'viewer', 'regular', 'admin'] as const;
type Who = (typeof WHO)[number];
const MODES = ['none', 'readonly', 'anonymous_readonly', 'project_readonly'] as const;
type Mode = (typeof MODES)[number];
const MODE_ENV: Record<Mode, Record<string, string>> = {
  none: {},
  readonly: { MELTANO_UI_READONLY: 'true' },
  anonymous_readonly: { MELTANO_UI_ANONYMOUS_READONLY: 'true' },
  project_readonly: { MELTANO_PROJECT_READONLY: 'true' },
};

const UI_READONLY = 'Meltano UI is running in read-only mode';
const ANONYMOUS_READONLY = 'Meltano UI is running in read-only mode until you sign in';
const PROJECT_READONLY = 'This Meltano project is deployed as read-only';

// 'pass' means the policy let the request through: it may still be 400/404/409, or 503 when the
// Meltano CLI is not installed here, but never 401/403/499, nor 500.

/** PRODUCT §7, written out: 401 (who), then 403 (role), then 499 (read-only modes); else it passes. */
function expected(access: Access, who: Who, mode: Mode): { status: number; code?: string } | 'pass' {
  if (access === 'public') return 'pass';
  const anonymous = who === 'anonymous';
  if (anonymous && (access === 'account' || mode !== 'anonymous_readonly')) return { status: 401 };
  if (access === 'account') return 'pass';
  const adminOnly = access === 'admin-read' || access === 'admin-change' || access === 'deploy';
  if (adminOnly && who !== 'admin') return { status: 403 };
  const change = ['operate', 'edit-project', 'edit-settings', 'admin-change', 'deploy'].includes(access);
  if (change && who === 'viewer') return { status: 403 };
  if (!change) return 'pass';
  if (mode === 'readonly') return { status: 499, code: UI_READONLY };
  if (mode === 'anonymous_readonly' && anonymous) return { status: 499, code: ANONYMOUS_READONLY };
  if (mode === 'project_readonly' && access === 'edit-project')
    return { status: 499, code: PROJECT_READONLY };
  return 'pass';
}

/** Parameters that match the route's schema but name nothing, so a passing request changes nothing. */
function concrete(url: string): string {
  return url
    .replace(':token_id', randomUUID())
    .replace(':launch', randomUUID())
    .replace(':install', randomUUID())
    .replace(':upgrade', randomUUID())
    .replace(':id', url.startsWith('/api/v1/users') ? randomUUID() : '987654')
    .replace(/:[a-z_]+/g, (p) => (p === ':type' ? 'extractors' : 'matrix-nothing'));
}

const routeKey = (r: { method: string; url: string }) => `${r.method} ${r.url}`;

describe.each(DIALECTS)('access matrix (%s)', (dialect) => {
  const apps = new Map<Mode, { app: TestApp; cookies: Record<Who, string | null> }>();

  beforeAll(async () => {
    for (const mode of MODES) {
      const app = await startTestApp(dialect, {
        version: 'v2.20.0',
        env: {
          MELTANO_UI_AUTHENTICATION: 'true',
          MELTANO_UI_LEGACY_PASSWORD_SALT: 'fixture-salt-7f3a9c',
          ...MODE_ENV[mode],
        },
      });
      const auth = createAuthService({
        db: app.core.db,
        passwordSalt: TEST_SECRETS.MELTANO_UI_PASSWORD_SALT,
      });
      const cookies: Record<Who, string | null> = {
        anonymous: null,
        viewer: null,
        regular: null,
        admin: null,
      };
      for (const who of ['viewer', 'regular', 'admin'] as const) {
        await auth.users.create({ username: `matrix-${who}`, password: 'matrix-password', roles: [who] });
        const res = await app.server.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: `matrix-${who}`, password: 'matrix-password' },
        });
        const cookie = res.cookies.find((c) => c.name === 'meltano_ui_session');
        cookies[who] = `${cookie?.name}=${cookie?.value}`;
      }
      apps.set(mode, { app, cookies });
    }
  });
  afterAll(async () => {
    for (const { app } of apps.values()) await app.cleanup();
  });

  it("declares every route of the server, with the route's own access", () => {
    const server = apps.get('none')?.app.server;
    const routes = (server?.routeAccess ?? []).filter(
      (r) => r.method !== 'HEAD' && !r.url.startsWith('/api/v1/docs'),
    );
    expect(routes.map(routeKey).sort()).toEqual(Object.keys(POLICY).sort());
    for (const r of routes) expect([routeKey(r), r.access]).toEqual([routeKey(r), POLICY[routeKey(r)]]);
    // The docs pages are for readers, as the document they show; nothing else escapes the table.
    const docs = server?.routeAccess.filter((r) => r.url.startsWith('/api/v1/docs')) ?? [];
    expect(docs.length).toBeGreaterThan(0);
    expect(docs.every((r) => r.access === 'read')).toBe(true);
  });

  it.each(MODES)('every route × who, in mode %s', async (mode) => {
    const { app, cookies } = apps.get(mode) ?? {};
    if (!app || !cookies) throw new Error('app not started');
    // Sign-out last: it ends the session the other requests use.
    const keys = Object.keys(POLICY).sort(
      (a, b) => Number(a.includes('logout')) - Number(b.includes('logout')),
    );
    const mismatches: string[] = [];
    for (const who of WHO) {
      for (const key of keys) {
        const [method, url] = key.split(' ') as [string, string];
        const access = POLICY[key] as Access;
        const res = await app.server.inject({
          method: method as 'GET',
          url: concrete(url),
          headers: cookies[who] ? { cookie: cookies[who] } : {},
          ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }),
        });
        const want = expected(access, who, mode);
        const got = `${res.statusCode}${res.statusCode === 499 ? ` ${res.json().code}` : ''}`;
        const ok =
          want === 'pass'
            ? ![401, 403, 499, 500].includes(res.statusCode)
            : res.statusCode === want.status && (want.code === undefined || res.json().code === want.code);
        if (!ok) mismatches.push(`${who} ${key} [${access}]: want ${JSON.stringify(want)}, got ${got}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('with authentication off everyone may do everything (as in Meltano), read-only modes still apply', async () => {
    const app = await startTestApp(dialect, { env: { MELTANO_UI_READONLY: 'true' } });
    try {
      const run = await app.server.inject({ method: 'POST', url: '/api/v1/runs/987654/cancel' });
      expect(run.json().code).toBe(UI_READONLY);
      expect((await app.server.inject({ url: '/api/v1/users' })).statusCode).toBe(200);
      const identity = (await app.server.inject({ url: '/api/v1/identity' })).json();
      expect(identity).toMatchObject({ anonymous: true, can_sign_in: false, username: 'Anonymous' });
      expect(identity.permissions.operate).toEqual({ allowed: false, reason: UI_READONLY });
    } finally {
      await app.cleanup();
    }
  });
});
