import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createAuthService, type StoredAuditEntry } from '@meltano-ui/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, TEST_SECRETS, type TestApp } from './support/test-app.js';

interface OpenApiDocument {
  paths: Record<string, Record<string, unknown>>;
}
const DOC = JSON.parse(
  fs.readFileSync(new URL('../openapi.json', import.meta.url), 'utf8'),
) as OpenApiDocument;
const WRITES = ['post', 'put', 'patch', 'delete'];
/** Every write operation of the OpenAPI document: a new route is walked without being listed here. */
const WRITE_ROUTES = Object.entries(DOC.paths).flatMap(([path, ops]) =>
  Object.keys(ops)
    .filter((m) => WRITES.includes(m))
    .map((m) => ({ method: m.toUpperCase(), path })),
);

const ADMIN_PASSWORD = `admin-${randomBytes(12).toString('hex')}`;
const WRONG_PASSWORD = `SECRET-PASSWORD-${randomBytes(8).toString('hex')}`;
const SECRET_VALUE = `SECRET-VALUE-${randomBytes(8).toString('hex')}`;

/** Parameters that fit the route's schema but name nothing (the plugin is real, for setting writes). */
function concrete(path: string): string {
  return path
    .replace('{type}', 'extractors')
    .replace('{id}', path.startsWith('/api/v1/users') ? randomUUID() : '987654')
    .replace('{token_id}', randomUUID())
    .replace(/\{[a-z_]+\}/g, (p) =>
      p === '{name}' && path.includes('/settings/') ? 'tap-demo' : 'audit-nothing',
    )
    .replace('/settings/audit-nothing', '/settings/api_key');
}

/** A body that names a secret where a route might take one; any answer will do. */
function bodyFor(method: string, path: string): Record<string, unknown> | undefined {
  if (method === 'DELETE') return undefined;
  if (path === '/api/v1/auth/login') return { username: 'audit-admin', password: WRONG_PASSWORD };
  if (path.includes('/settings/')) return { value: SECRET_VALUE };
  if (path === '/api/v1/account/password') return { current: WRONG_PASSWORD, password: SECRET_VALUE };
  return { password: SECRET_VALUE };
}

describe.each(DIALECTS)('audit log (%s)', (dialect) => {
  let app: TestApp;
  let cookie: string;

  const all = async (): Promise<StoredAuditEntry[]> => {
    await app.core.audit.idle();
    return (await app.core.audit.page({}, null, 1000)).items;
  };
  /** Waits for the hook (run once the answer is sent) and the queued write. */
  const rowsAfter = async (count: number): Promise<StoredAuditEntry[]> => {
    for (let i = 0; i < 100; i++) {
      const rows = await all();
      if (rows.length > count) {
        await new Promise((r) => setTimeout(r, 20));
        return all();
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    return all();
  };

  beforeAll(async () => {
    app = await startTestApp(dialect, { env: { MELTANO_UI_AUTHENTICATION: 'true' } });
    const auth = createAuthService({ db: app.core.db, passwordSalt: TEST_SECRETS.MELTANO_UI_PASSWORD_SALT });
    await auth.users.create({ username: 'audit-admin', password: ADMIN_PASSWORD, roles: ['admin'] });
    const res = await app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'audit-admin', password: ADMIN_PASSWORD },
    });
    expect(res.statusCode).toBe(200);
    const c = res.cookies.find((k) => k.name === 'meltano_ui_session');
    cookie = `${c?.name}=${c?.value}`;
  });
  afterAll(async () => app?.cleanup());

  it('records a sign-in under the user who signed in, without the password', async () => {
    const rows = await rowsAfter(0);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor: 'audit-admin',
      action: 'POST /api/v1/auth/login',
      status: 200,
      outcome: 'ok',
      target: {},
      details: { body_fields: ['password', 'username'], username: 'audit-admin' },
    });
    expect(rows[0]?.client_ip).toBe('127.0.0.1');
    expect(JSON.stringify(rows)).not.toContain(ADMIN_PASSWORD);
  });

  it('leaves exactly one row per request to every write route of the OpenAPI document', async () => {
    expect(WRITE_ROUTES.length).toBeGreaterThan(40);
    for (const { method, path } of WRITE_ROUTES) {
      const before = (await all()).length;
      const url = concrete(path);
      const body = bodyFor(method, path);
      // Sign-out without the cookie: the walk keeps its session.
      const headers: Record<string, string> = path === '/api/v1/auth/logout' ? {} : { cookie };
      const res = await app.server.inject({
        method: method as 'POST',
        url,
        headers,
        ...(body ? { payload: body } : {}),
      });
      const rows = await rowsAfter(before);
      const added = rows.slice(0, rows.length - before);
      expect([`${method} ${path}`, added.length]).toEqual([`${method} ${path}`, 1]);
      const outcome = res.statusCode >= 500 ? 'failed' : res.statusCode >= 400 ? 'refused' : 'ok';
      expect(added[0]).toMatchObject({ action: `${method} ${path}`, status: res.statusCode, outcome });
      // Public routes do not ask who is calling.
      const publicRoute = path.startsWith('/api/v1/auth/') || path.endsWith('/github-webhook');
      expect(added[0]?.actor).toBe(publicRoute ? 'anonymous' : 'audit-admin');
    }
    const text = JSON.stringify(await all());
    expect(text).not.toContain(WRONG_PASSWORD);
    expect(text).not.toContain(SECRET_VALUE);
  });

  it('records a failed sign-in as anonymous with the user name tried, never the password', async () => {
    const before = (await all()).length;
    const res = await app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'audit-admin', password: WRONG_PASSWORD },
    });
    expect(res.statusCode).toBe(401);
    const [row] = await rowsAfter(before);
    expect(row).toMatchObject({
      actor: 'anonymous',
      outcome: 'refused',
      details: { username: 'audit-admin' },
    });
    expect(JSON.stringify(row)).not.toContain(WRONG_PASSWORD);
  });

  it("records a setting write's name and store, never its value", async () => {
    const before = (await all()).length;
    const res = await app.server.inject({
      method: 'PUT',
      url: '/api/v1/plugins/extractors/tap-demo/settings/api_key',
      headers: { cookie },
      payload: { value: SECRET_VALUE },
    });
    expect(res.statusCode).toBe(200);
    const [row] = await rowsAfter(before);
    expect(row).toMatchObject({
      actor: 'audit-admin',
      action: 'PUT /api/v1/plugins/{type}/{name}/settings/{setting}',
      target: { type: 'extractors', name: 'tap-demo', setting: 'api_key' },
      outcome: 'ok',
      details: { body_fields: ['value'], setting: 'api_key', store: res.json().store },
    });
    expect(JSON.stringify(row)).not.toContain(SECRET_VALUE);
  });

  it('records an API token as token:<name>, and a refusal', async () => {
    const created = await app.server.inject({
      method: 'POST',
      url: '/api/v1/account/tokens',
      headers: { cookie },
      payload: { name: 'ci-bot' },
    });
    expect(created.statusCode).toBe(201);
    const token = created.json().token as string;
    const before = (await all()).length;
    const res = await app.server.inject({
      method: 'POST',
      url: '/api/v1/schedules/daily-demo/run',
      headers: { authorization: `Bearer ${token}` },
      payload: { options: { full_refresh: true, state_id_suffix: 'x' } },
    });
    const [row] = await rowsAfter(before);
    expect(row).toMatchObject({
      actor: 'token:ci-bot',
      action: 'POST /api/v1/schedules/{name}/run',
      target: { name: 'daily-demo' },
      pipeline: 'daily-demo',
      status: res.statusCode,
      details: { user: 'audit-admin', options: { full_refresh: true, state_id_suffix: 'x' } },
    });
    expect(JSON.stringify(row)).not.toContain(token);
    const refused = await app.server.inject({ method: 'DELETE', url: '/api/v1/schedules/daily-demo' });
    expect(refused.statusCode).toBe(401);
    const [denied] = await rowsAfter(before + 1);
    expect(denied).toMatchObject({
      actor: 'anonymous',
      status: 401,
      outcome: 'refused',
      pipeline: 'daily-demo',
    });
  });

  it('records where a copied state came from', async () => {
    const before = (await all()).length;
    const res = await app.server.inject({
      method: 'POST',
      url: '/api/v1/state/dev:tap-demo-to-target-demo/copy',
      headers: { cookie },
      payload: { from: 'audit-source-id' },
    });
    const [row] = await rowsAfter(before);
    expect(row).toMatchObject({
      action: 'POST /api/v1/state/{state_id}/copy',
      target: { state_id: 'dev:tap-demo-to-target-demo' },
      status: res.statusCode,
      details: { body_fields: ['from'], from: 'audit-source-id' },
    });
  });

  it('records the state before and after a state edit', async () => {
    const before = (await all()).length;
    const res = await app.server.inject({
      method: 'PUT',
      url: '/api/v1/state/cron-demo',
      headers: { cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ state: { singer_state: { bookmarks: { users: { last_id: 42 } } } } }),
    });
    expect(res.statusCode, res.body).toBe(200);
    const [row] = await rowsAfter(before);
    expect(row).toMatchObject({
      action: 'PUT /api/v1/state/{state_id}',
      details: {
        state_before: { singer_state: { bookmarks: { users: { last_id: 3 } } } },
        state_after: { singer_state: { bookmarks: { users: { last_id: 42 } } } },
      },
    });
  });

  it('lists newest first with filters and cursors, exports JSON lines, admins only', async () => {
    const get = (url: string, headers: Record<string, string> = { cookie }) =>
      app.server.inject({ method: 'GET', url, headers });
    const total = (await all()).length;
    const first = await get('/api/v1/audit?limit=2');
    expect(first.statusCode).toBe(200);
    const page = first.json() as { items: { at: string }[]; next_cursor: string | null };
    expect(page.items).toHaveLength(2);
    expect((page.items[0]?.at ?? '') >= (page.items[1]?.at ?? '')).toBe(true);
    expect(Object.keys(page.items[0] ?? {}).sort()).toEqual(
      [
        'action',
        'actor',
        'at',
        'client_ip',
        'details',
        'id',
        'outcome',
        'pipeline',
        'status',
        'target',
      ].sort(),
    );
    let seen = page.items.length;
    let cursor = page.next_cursor;
    while (cursor) {
      const next = (await get(`/api/v1/audit?limit=50&cursor=${encodeURIComponent(cursor)}`)).json();
      seen += next.items.length;
      cursor = next.next_cursor;
    }
    // The listing requests are reads: they add no row.
    expect(seen).toBe(total);
    const byPipeline = (await get('/api/v1/audit?pipeline=daily-demo')).json().items as StoredAuditEntry[];
    expect(byPipeline.length).toBeGreaterThanOrEqual(2);
    expect(byPipeline.every((r) => r.pipeline === 'daily-demo')).toBe(true);
    const byActor = (await get('/api/v1/audit?actor=token%3Aci-bot')).json().items as StoredAuditEntry[];
    expect(byActor.map((r) => r.action)).toEqual(['POST /api/v1/schedules/{name}/run']);
    const byPrefix = (await get(`/api/v1/audit?action=${encodeURIComponent('POST /api/v1/auth/*')}`)).json()
      .items as StoredAuditEntry[];
    expect(byPrefix.length).toBeGreaterThanOrEqual(3);
    expect(byPrefix.every((r) => r.action.startsWith('POST /api/v1/auth/'))).toBe(true);
    const future = (await get('/api/v1/audit?since=2999-01-01T00:00:00Z')).json().items;
    expect(future).toEqual([]);
    const past = (await get('/api/v1/audit?until=2000-01-01T00:00:00Z')).json().items;
    expect(past).toEqual([]);
    expect((await get('/api/v1/audit?cursor=nonsense')).statusCode).toBe(400);

    const exported = await get('/api/v1/audit/export?actor=token%3Aci-bot');
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = exported.body
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toEqual(byActor);
    const everything = (await get('/api/v1/audit/export')).body.trim().split('\n');
    expect(everything).toHaveLength(total);

    expect((await get('/api/v1/audit', {})).statusCode).toBe(401);
  });

  it('purges entries older than ui.audit_retention_days', async () => {
    expect(app.core.audit.retentionDays).toBe(365);
    const before = (await all()).length;
    const real = app.core.now;
    // An entry dated 400 days ago, written as the hook writes one.
    app.core.audit.record({
      at: new Date(real().getTime() - 400 * 86_400_000).toISOString(),
      actor: 'old',
      client_ip: null,
      action: 'POST /api/v1/old',
      target: {},
      pipeline: null,
      status: 200,
      outcome: 'ok',
      details: {},
    });
    expect(await all()).toHaveLength(before + 1);
    expect(await app.core.audit.purge()).toBe(1);
    const rows = await all();
    expect(rows).toHaveLength(before);
    expect(rows.some((r) => r.actor === 'old')).toBe(false);
  });
});
