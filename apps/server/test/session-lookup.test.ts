import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

const AUTH_ENV = {
  MELTANO_UI_AUTHENTICATION: 'true',
  MELTANO_UI_LEGACY_PASSWORD_SALT: 'fixture-salt-7f3a9c',
};

describe.each(DIALECTS)('a session lookup that fails (%s)', (dialect) => {
  let app: TestApp;
  const logLines: string[] = [];
  beforeAll(async () => {
    app = await startTestApp(dialect, { version: 'v2.20.0', env: AUTH_ENV, logLines });
  });
  afterAll(() => app.cleanup());

  const signIn = async () => {
    const res = await app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'bob', password: 'other-pass' },
    });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = res.cookies.find((c) => c.name.endsWith('meltano_ui_session'));
    return `${cookie?.name}=${cookie?.value}`;
  };
  /** Moves a table away (every query of it fails), runs `fn`, and puts it back. */
  const withoutTable = async <T>(table: string, fn: () => Promise<T>): Promise<T> => {
    await app.core.db.withKysely((k) => k.schema.alterTable(table).renameTo(`${table}_away`).execute());
    try {
      return await fn();
    } finally {
      await app.core.db.withKysely((k) => k.schema.alterTable(`${table}_away`).renameTo(table).execute());
    }
  };

  it.each(['ui_sessions', 'ui_users'])(
    'answers 503 with Retry-After and keeps the cookie and the session while %s cannot be read',
    async (table) => {
      const cookie = await signIn();
      const failed = await withoutTable(table, () =>
        app.server.inject({ url: '/api/v1/runs', headers: { cookie } }),
      );
      expect(failed.statusCode).toBe(503);
      expect(failed.headers['content-type']).toMatch(/application\/json/);
      expect(failed.json()).toMatchObject({ error: true, code: 'session_unavailable' });
      expect(Number(failed.headers['retry-after'])).toBeGreaterThan(0);
      expect(failed.headers['set-cookie']).toBeUndefined();
      // Nothing was signed out: the same cookie works once the database answers again.
      expect((await app.server.inject({ url: '/api/v1/runs', headers: { cookie } })).statusCode).toBe(200);
      const logged = logLines.map((l) => JSON.parse(l)).find((l) => l.event === 'session_lookup_failed');
      expect(logged).toBeDefined();
      expect(JSON.stringify(logged)).not.toContain(cookie.split('=')[1]);
    },
  );

  it('still clears the cookie of a session that is definitely gone', async () => {
    const cookie = await signIn();
    await app.server.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    const res = await app.server.inject({ url: '/api/v1/runs', headers: { cookie } });
    expect(res.statusCode).toBe(401);
    expect(res.cookies.find((c) => c.name.endsWith('meltano_ui_session'))?.value).toBe('');
  });

  it('answers 503, not 401, when an API token cannot be checked', async () => {
    const cookie = await signIn();
    const created = await app.server.inject({
      method: 'POST',
      url: '/api/v1/account/tokens',
      headers: { cookie },
      payload: { name: 'script' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const authorization = `Bearer ${created.json().token}`;
    const failed = await withoutTable('ui_api_tokens', () =>
      app.server.inject({ url: '/api/v1/runs', headers: { authorization } }),
    );
    expect(failed.statusCode).toBe(503);
    expect((await app.server.inject({ url: '/api/v1/runs', headers: { authorization } })).statusCode).toBe(
      200,
    );
  });
});
