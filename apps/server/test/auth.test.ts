import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, TEST_SECRETS, type TestApp } from './support/test-app.js';

// The v2.20.0 fixture's users, made by the real Meltano CLI with this salt (fixture README).
const LEGACY_SALT = 'fixture-salt-7f3a9c';
const ALICE = { username: 'alice', password: 'S3cret-pass' };
const BOB = { username: 'bob', password: 'other-pass' };
const AUTH_ENV = { MELTANO_UI_AUTHENTICATION: 'true', MELTANO_UI_LEGACY_PASSWORD_SALT: LEGACY_SALT };

type Inject = TestApp['server']['inject'];

function sessionCookieOf(res: LightMyRequestResponse) {
  return res.cookies.find((c) => c.name.endsWith('meltano_ui_session') && c.value !== '');
}

/** Signs in and returns the Cookie header value. */
async function signIn(inject: Inject, who: { username: string; password: string }): Promise<string> {
  const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: who });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = sessionCookieOf(res);
  expect(cookie).toBeDefined();
  return `${cookie?.name}=${cookie?.value}`;
}

describe.each(DIALECTS)('sign-in (%s)', (dialect) => {
  let app: TestApp;
  const logLines: string[] = [];
  const seen: string[] = [];
  let inject: Inject;

  beforeAll(async () => {
    app = await startTestApp(dialect, {
      version: 'v2.20.0',
      env: AUTH_ENV,
      logLines,
      loginThrottle: {
        perUsername: { limit: 5, windowMs: 60_000 },
        perIp: { limit: 12, windowMs: 60_000 },
      },
    });
    // Every response is kept for the secrets check at the end.
    const raw = app.server.inject.bind(app.server);
    inject = (async (opts: InjectOptions) => {
      const res = await raw(opts);
      seen.push(JSON.stringify(res.headers), res.body);
      return res;
    }) as Inject;
  });
  afterAll(() => app.cleanup());

  it("signs in Meltano's own users (alice, bob) and sets a signed HttpOnly SameSite=Lax cookie", async () => {
    const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: ALICE });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      anonymous: false,
      username: 'alice',
      user: { username: 'alice', role: 'admin', imported_from_meltano: true },
      via: 'session',
      permissions: { operate: { allowed: true }, manage_users: { allowed: true } },
    });
    const cookie = sessionCookieOf(res);
    expect(cookie).toMatchObject({ name: 'meltano_ui_session', httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie?.secure).toBeFalsy();
    // ui.server_name is 'localhost' (no dot): a host-only cookie, as Meltano did.
    expect(cookie?.domain).toBeUndefined();
    const identity = await inject({
      url: '/api/v1/identity',
      headers: { cookie: `${cookie?.name}=${cookie?.value}` },
    });
    expect(identity.json().username).toBe('alice');
    const bob = await signIn(inject, BOB);
    expect((await inject({ url: '/api/v1/identity', headers: { cookie: bob } })).json().user.role).toBe(
      'regular',
    );
  });

  it('refuses the anonymous (401) and a tampered cookie', async () => {
    expect((await inject({ url: '/api/v1/runs' })).json()).toMatchObject({
      code: 'authentication_required',
      message: 'Authentication is required to access this resource.',
    });
    const cookie = await signIn(inject, ALICE);
    const tampered = cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await inject({ url: '/api/v1/runs', headers: { cookie: tampered } })).statusCode).toBe(401);
    expect((await inject({ url: '/api/v1/runs', headers: { cookie } })).statusCode).toBe(200);
  });

  it('logout destroys the session on the server: the replayed cookie is refused', async () => {
    const cookie = await signIn(inject, ALICE);
    const out = await inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie } });
    expect(out.statusCode).toBe(204);
    expect(out.cookies.find((c) => c.name === 'meltano_ui_session')?.value).toBe('');
    expect((await inject({ url: '/api/v1/runs', headers: { cookie } })).statusCode).toBe(401);
  });

  it('gives a new session id at each sign-in, ending the one the browser came with', async () => {
    const first = await signIn(inject, ALICE);
    const res = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: ALICE,
      headers: { cookie: first },
    });
    const second = `${sessionCookieOf(res)?.name}=${sessionCookieOf(res)?.value}`;
    expect(second).not.toBe(first);
    expect((await inject({ url: '/api/v1/identity', headers: { cookie: first } })).statusCode).toBe(401);
    expect((await inject({ url: '/api/v1/identity', headers: { cookie: second } })).statusCode).toBe(200);
  });

  it('answers an unknown user and a wrong password alike, then 429 with Retry-After', async () => {
    const wrong = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'alice', password: 'nope-nope' },
    });
    const unknown = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'mallory', password: 'nope-nope' },
    });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(unknown.body).toBe(wrong.body);
    for (let i = 0; i < 4; i++) {
      await inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'MALLORY', password: 'x' },
      });
    }
    const limited = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'mallory', password: 'x' },
    });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().code).toBe('too_many_attempts');
  });

  it('counts failures per client IP only as far as the proxy is trusted', async () => {
    // From an untrusted peer, X-Forwarded-For is ignored: every attempt counts against the peer.
    const untrusted = { remoteAddress: '203.0.113.7' };
    for (let i = 0; i < 12; i++) {
      await inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: `nobody${i}`, password: 'x' },
        headers: { 'x-forwarded-for': `198.51.100.${i}` },
        ...untrusted,
      });
    }
    const limited = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'carol', password: 'x' },
      headers: { 'x-forwarded-for': '198.51.100.99' },
      ...untrusted,
    });
    expect(limited.statusCode).toBe(429);
    // Through the trusted proxy (127.0.0.1), the forwarded client is the one counted and logged.
    await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'carol', password: 'x' },
      headers: { 'x-forwarded-for': '198.51.100.42' },
    });
    const failures = logLines.map((l) => JSON.parse(l)).filter((l) => l.event === 'login_failed');
    expect(failures.at(-1)).toMatchObject({ username: 'carol', ip: '198.51.100.42' });
    expect(failures.some((l) => l.ip === '203.0.113.7')).toBe(true);
    expect(failures.some((l) => String(l.ip).startsWith('198.51.100.') && l.username === 'nobody0')).toBe(
      false,
    );
  });

  it('marks the cookie Secure (__Host-) only when https came through a trusted proxy', async () => {
    const viaProxy = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: BOB,
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(sessionCookieOf(viaProxy)).toMatchObject({
      name: '__Host-meltano_ui_session',
      secure: true,
      path: '/',
    });
    const forged = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: BOB,
      headers: { 'x-forwarded-proto': 'https' },
      remoteAddress: '203.0.113.8',
    });
    expect(sessionCookieOf(forged)).toMatchObject({ name: 'meltano_ui_session' });
    expect(sessionCookieOf(forged)?.secure).toBeFalsy();
  });

  it('API tokens: shown once, used as Bearer (no CSRF header needed), revocable', async () => {
    const cookie = await signIn(inject, BOB);
    const created = await inject({
      method: 'POST',
      url: '/api/v1/account/tokens',
      payload: { name: 'cron script' },
      headers: { cookie },
    });
    expect(created.statusCode).toBe(201);
    const { token, api_token } = created.json();
    expect(token).toMatch(/^mui_/);
    const listed = await inject({ url: '/api/v1/account/tokens', headers: { cookie } });
    expect(listed.body).not.toContain(token);
    expect(listed.json().tokens.map((t: { name: string }) => t.name)).toContain('cron script');

    const bearer = { authorization: `Bearer ${token}` };
    expect((await inject({ url: '/api/v1/identity', headers: bearer })).json()).toMatchObject({
      username: 'bob',
      via: 'token',
    });
    const run = await inject({
      method: 'POST',
      url: '/api/v1/runs/999999/cancel',
      headers: { ...bearer, 'x-requested-with': '' },
    });
    expect(run.statusCode).toBe(404);
    const revoked = await inject({
      method: 'DELETE',
      url: `/api/v1/account/tokens/${api_token.id}`,
      headers: { cookie },
    });
    expect(revoked.statusCode).toBe(204);
    const refused = await inject({ url: '/api/v1/identity', headers: bearer });
    expect(refused.statusCode).toBe(401);
    expect(refused.json().code).toBe('invalid_token');
  });

  it('refuses cross-site unsafe requests: foreign Origin, missing header, Sec-Fetch-Site', async () => {
    const cookie = await signIn(inject, BOB);
    const post = (headers: Record<string, string>) =>
      inject({
        method: 'POST',
        url: '/api/v1/runs/999999/cancel',
        headers: { cookie, ...headers },
      });
    expect((await post({ origin: 'https://evil.example' })).json().code).toBe('csrf_rejected');
    expect((await post({ origin: 'null' })).statusCode).toBe(403);
    expect((await post({ referer: 'https://evil.example/page' })).statusCode).toBe(403);
    expect((await post({ 'x-requested-with': '' })).json().code).toBe('csrf_rejected');
    expect((await post({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    expect((await post({ origin: 'http://localhost:80' })).statusCode).toBe(404);
    expect((await post({ origin: 'http://localhost' })).statusCode).toBe(404);
  });

  it('changes its own password: the old one stops working, other sessions end, this one stays', async () => {
    const created = await inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: { username: 'dave', password: 'first-password', roles: ['regular'] },
      headers: { cookie: await signIn(inject, ALICE) },
    });
    expect(created.statusCode).toBe(201);
    const dave = { username: 'dave', password: 'first-password' };
    const here = await signIn(inject, dave);
    const elsewhere = await signIn(inject, dave);
    const wrong = await inject({
      method: 'POST',
      url: '/api/v1/account/password',
      payload: { current_password: 'not-it', new_password: 'second-password' },
      headers: { cookie: here },
    });
    expect(wrong.statusCode).toBe(400);
    const changed = await inject({
      method: 'POST',
      url: '/api/v1/account/password',
      payload: { current_password: 'first-password', new_password: 'second-password' },
      headers: { cookie: here },
    });
    expect(changed.statusCode).toBe(204);
    expect((await inject({ url: '/api/v1/identity', headers: { cookie: here } })).statusCode).toBe(200);
    expect((await inject({ url: '/api/v1/identity', headers: { cookie: elsewhere } })).statusCode).toBe(401);
    const old = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: dave });
    expect(old.statusCode).toBe(401);
    await signIn(inject, { username: 'dave', password: 'second-password' });
  });

  it('admins manage users and roles; viewers and regular users cannot; the last admin stays', async () => {
    const admin = await signIn(inject, ALICE);
    const carol = await inject({
      method: 'POST',
      url: '/api/v1/users',
      payload: {
        username: 'carol',
        password: 'carol-password',
        roles: ['viewer'],
        email: 'carol@example.com',
      },
      headers: { cookie: admin },
    });
    expect(carol.json()).toMatchObject({ username: 'carol', role: 'viewer', active: true });
    expect(carol.body).not.toMatch(/argon2|password/i);
    const viewer = await signIn(inject, { username: 'carol@example.com', password: 'carol-password' });
    expect((await inject({ url: '/api/v1/runs', headers: { cookie: viewer } })).statusCode).toBe(200);
    const viewerRun = await inject({
      method: 'POST',
      url: '/api/v1/schedules/x/run',
      headers: { cookie: viewer },
    });
    expect(viewerRun.statusCode).toBe(403);
    expect(
      (await inject({ url: '/api/v1/users', headers: { cookie: await signIn(inject, BOB) } })).statusCode,
    ).toBe(403);

    const users = (await inject({ url: '/api/v1/users', headers: { cookie: admin } })).json().users;
    expect(users.map((u: { username: string }) => u.username)).toEqual(
      expect.arrayContaining(['alice', 'bob']),
    );
    const alice = users.find((u: { username: string }) => u.username === 'alice');
    const demote = await inject({
      method: 'PATCH',
      url: `/api/v1/users/${alice.id}`,
      payload: { roles: ['regular'] },
      headers: { cookie: admin },
    });
    expect(demote.statusCode).toBe(409);
    expect(demote.json().code).toBe('last_admin');

    // Disabling carol ends her session at once.
    const disable = await inject({
      method: 'PATCH',
      url: `/api/v1/users/${carol.json().id}`,
      payload: { active: false },
      headers: { cookie: admin },
    });
    expect(disable.json().active).toBe(false);
    expect((await inject({ url: '/api/v1/runs', headers: { cookie: viewer } })).statusCode).toBe(401);
    const removed = await inject({
      method: 'DELETE',
      url: `/api/v1/users/${carol.json().id}`,
      headers: { cookie: admin },
    });
    expect(removed.statusCode).toBe(204);
  });

  it('sends security headers: a CSP allowing nothing on API answers, the document set on HTML pages', async () => {
    const probe = await inject({ url: '/api/v1/health' });
    expect(probe.headers['x-content-type-options']).toBe('nosniff');
    expect(probe.headers['cache-control']).toBe('no-store');
    expect(probe.headers['content-security-policy']).toBeUndefined();
    for (const res of [await inject({ url: '/api/v1/identity' }), await inject({ url: '/api/v1/runs' })]) {
      expect(res.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.headers['cross-origin-opener-policy']).toBeUndefined();
    }
    const docs = await inject({ url: '/api/v1/docs/', headers: { cookie: await signIn(inject, BOB) } });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/^text\/html/);
    expect(String(docs.headers['content-security-policy'])).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(docs.headers['cross-origin-opener-policy']).toBe('same-origin');
    expect(docs.headers['x-frame-options']).toBe('DENY');
  });

  it('limits body sizes (413) and answers bad input with 400, never 500', async () => {
    const big = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'alice', password: 'x'.repeat(20_000) },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().code).toBe('body_too_large');
    const notJson = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: '{"username":',
      headers: { 'content-type': 'application/json' },
    });
    expect(notJson.statusCode).toBe(400);
    const extra = await inject({ method: 'POST', url: '/api/v1/auth/login', payload: { user: 'alice' } });
    expect(extra.statusCode).toBe(400);
  });

  it('rejects other Host headers (ui.server_name) except on the health route', async () => {
    expect((await inject({ url: '/api/v1/ready', headers: { host: 'evil.example' } })).statusCode).toBe(404);
    expect((await inject({ url: '/api/v1/health', headers: { host: '10.1.2.3:5000' } })).statusCode).toBe(
      200,
    );
    expect((await inject({ url: '/api/v1/ready', headers: { host: 'localhost:5000' } })).statusCode).not.toBe(
      404,
    );
  });

  it('never shows a secret, a password or a hash in a response or a log line', async () => {
    const tokens = seen.join('\n').match(/mui_[A-Za-z0-9_-]+/g) ?? [];
    const sessions =
      seen
        .join('\n')
        .match(/meltano_ui_session=[^;.]+/g)
        ?.map((c) => c.split('=')[1] ?? '') ?? [];
    const secrets = [
      TEST_SECRETS.MELTANO_UI_SECRET_KEY,
      TEST_SECRETS.MELTANO_UI_PASSWORD_SALT,
      LEGACY_SALT,
      ALICE.password,
      BOB.password,
      'first-password',
      'second-password',
      'carol-password',
      '$argon2id$',
      '$2b$12$',
    ];
    const bodies = seen.filter((_, i) => i % 2 === 1).join('\n');
    for (const secret of secrets) expect(bodies).not.toContain(secret);
    const logs = logLines.join('\n');
    expect(logs).toContain('login_failed');
    for (const secret of [...secrets, ...tokens, ...sessions].filter((s) => s.length > 8)) {
      expect(logs).not.toContain(secret);
    }
    // Headers carry cookies and nothing else secret.
    const headers = seen.filter((_, i) => i % 2 === 0).join('\n');
    for (const secret of secrets) expect(headers).not.toContain(secret);
  });
});

describe('settings that change the server', () => {
  it('refuses to start with authentication on and a weak secret', async () => {
    await expect(
      startTestApp('sqlite', {
        env: {
          MELTANO_UI_AUTHENTICATION: 'true',
          MELTANO_UI_SECRET_KEY: 'short',
          MELTANO_UI_PASSWORD_SALT: 'x',
        },
      }),
    ).rejects.toThrow(/ui.secret_key is shorter than 32 bytes.*meltano ui setup/);
  });

  it('marks the cookie Secure over plain http with ui.session_cookie_secure', async () => {
    const app = await startTestApp('sqlite', {
      version: 'v2.20.0',
      env: {
        ...AUTH_ENV,
        MELTANO_UI_SESSION_COOKIE_SECURE: 'true',
        MELTANO_UI_SESSION_COOKIE_DOMAIN: 'example.com',
      },
    });
    try {
      const res = await app.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ALICE });
      expect(sessionCookieOf(res)).toMatchObject({
        name: 'meltano_ui_session',
        secure: true,
        domain: 'example.com',
      });
    } finally {
      await app.cleanup();
    }
  });

  it('serves everything under ui.base_path, the cookie scoped to it', async () => {
    const app = await startTestApp('sqlite', {
      version: 'v2.20.0',
      env: { ...AUTH_ENV, MELTANO_UI_BASE_PATH: '/meltano/' },
    });
    try {
      expect((await app.server.inject({ url: '/meltano/api/v1/health' })).statusCode).toBe(200);
      expect((await app.server.inject({ url: '/api/v1/health' })).statusCode).toBe(404);
      const res = await app.server.inject({
        method: 'POST',
        url: '/meltano/api/v1/auth/login',
        payload: ALICE,
      });
      const cookie = sessionCookieOf(res);
      expect(cookie).toMatchObject({ path: '/meltano' });
      const doc = await app.server.inject({
        url: '/meltano/api/v1/openapi.json',
        headers: { cookie: `${cookie?.name}=${cookie?.value}` },
      });
      expect(doc.statusCode).toBe(200);
    } finally {
      await app.cleanup();
    }
  });

  it('refuses a base path that is not a plain path', async () => {
    await expect(startTestApp('sqlite', { env: { MELTANO_UI_BASE_PATH: '/a/../b' } })).rejects.toThrow(
      /ui.base_path must be a URL path/,
    );
  });
});
