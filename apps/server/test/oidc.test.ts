import { createAuthService, loadAuthConfig, oidcConfigFrom, resolveUiSettings } from '@meltano-ui/core';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freePort,
  signInAtProvider,
  startOpenIdProvider,
  TEST_ROLE_MAP,
  type TestOpenIdProvider,
} from './support/openid-provider.js';
import { DIALECTS, startTestApp, TEST_SECRETS, type TestApp } from './support/test-app.js';

// Single sign-on against a real OpenID Provider (oidc-provider on loopback, support/openid-provider.ts):
// the browser's part at the provider (its login and consent pages) is done with fetch, the UI is
// asked through inject as the browser would.

const CALLBACK = 'http://localhost/api/v1/auth/oidc/callback';

function oidcEnv(op: TestOpenIdProvider, extra: Record<string, string> = {}): Record<string, string> {
  return {
    MELTANO_UI_AUTHENTICATION: 'true',
    MELTANO_UI_OIDC_ISSUER: op.issuer,
    MELTANO_UI_OIDC_CLIENT_ID: op.clientId,
    MELTANO_UI_OIDC_CLIENT_SECRET: op.clientSecret,
    MELTANO_UI_OIDC_SCOPES: 'openid profile email groups',
    MELTANO_UI_OIDC_BUTTON_LABEL: 'Sign in with Test IdP',
    MELTANO_UI_OIDC_ROLE_MAP: JSON.stringify(TEST_ROLE_MAP),
    MELTANO_UI_OIDC_ALLOWED_DOMAINS: 'example.com',
    ...extra,
  };
}

/** A local account, as `meltano user add` makes one. */
function addLocalUser(app: TestApp, username: string, password: string, roles: string[] = []) {
  const auth = createAuthService({ db: app.core.db, passwordSalt: TEST_SECRETS.MELTANO_UI_PASSWORD_SALT });
  return auth.users.create({ username, password, roles });
}

const cookieHeader = (res: LightMyRequestResponse) =>
  res.cookies
    .filter((c) => c.value !== '')
    .map((c) => `${c.name}=${c.value}`)
    .join('; ');
const sessionCookie = (res: LightMyRequestResponse) =>
  res.cookies.find((c) => c.name.endsWith('meltano_ui_session') && c.value !== '');

interface Attempt {
  login: LightMyRequestResponse;
  back: URL;
  flowCookie: string;
  callback: LightMyRequestResponse;
}

/** The whole sign-in as `account`: the UI's redirect, the provider's pages, the callback. */
async function ssoSignIn(app: TestApp, account: string, next = '/runs'): Promise<Attempt> {
  const login = await app.server.inject({
    method: 'GET',
    url: `/api/v1/auth/oidc/login?next=${encodeURIComponent(next)}`,
  });
  expect(login.statusCode, login.body).toBe(302);
  const flowCookie = cookieHeader(login);
  const back = await signInAtProvider(String(login.headers.location), account);
  const callback = await app.server.inject({
    method: 'GET',
    url: `${back.pathname}${back.search}`,
    headers: { cookie: flowCookie, accept: 'text/html' },
  });
  return { login, back, flowCookie, callback };
}

async function identity(app: TestApp, res: LightMyRequestResponse) {
  const cookie = sessionCookie(res);
  expect(cookie, res.body).toBeDefined();
  const me = await app.server.inject({
    method: 'GET',
    url: '/api/v1/identity',
    headers: { cookie: `${cookie?.name}=${cookie?.value}` },
  });
  expect(me.statusCode).toBe(200);
  return me.json();
}

describe.each(DIALECTS)('single sign-on with OpenID Connect (%s)', (dialect) => {
  let op: TestOpenIdProvider;
  let app: TestApp;

  beforeAll(async () => {
    op = await startOpenIdProvider({ redirectUris: [CALLBACK] });
    app = await startTestApp(dialect, { env: oidcEnv(op) });
  });
  afterAll(async () => {
    await app?.cleanup();
    await op?.close();
  });

  it('offers the provider beside passwords (identity and the sign-in methods)', async () => {
    const anonymous = await app.server.inject({ method: 'GET', url: '/api/v1/identity' });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json()).toMatchObject({
      code: 'authentication_required',
      details: { auth_methods: ['password', 'oidc'], oidc: { button_label: 'Sign in with Test IdP' } },
    });
    const methods = await app.server.inject({ method: 'GET', url: '/api/v1/auth/methods' });
    expect(methods.json()).toEqual({
      auth_methods: ['password', 'oidc'],
      oidc: {
        button_label: 'Sign in with Test IdP',
        issuer: op.issuer,
        login_url: '/api/v1/auth/oidc/login',
        only: false,
      },
    });
  });

  it('sends the browser to the provider with PKCE (S256), state, nonce and the redirect URI', async () => {
    const login = await app.server.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' });
    expect(login.statusCode).toBe(302);
    const url = new URL(String(login.headers.location));
    expect(url.origin).toBe(op.issuer);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(url.searchParams.get('state')).toBeTruthy();
    expect(url.searchParams.get('nonce')).toBeTruthy();
    expect(url.searchParams.get('redirect_uri')).toBe(CALLBACK);
    expect(url.searchParams.get('client_id')).toBe(op.clientId);
    const flow = login.cookies.find((c) => c.name === 'meltano_ui_oidc_flow');
    expect(flow).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/api/v1/auth/oidc/' });
  });

  it('signs in users of three groups with the roles the map gives them', async () => {
    const expected = { alice: 'admin', bob: 'regular', carol: 'viewer' } as const;
    for (const [account, role] of Object.entries(expected)) {
      const { callback } = await ssoSignIn(app, account);
      expect(callback.statusCode, callback.body).toBe(302);
      expect(callback.headers.location).toBe('/runs');
      const me = await identity(app, callback);
      expect(me).toMatchObject({
        anonymous: false,
        username: account,
        auth_methods: ['password', 'oidc'],
        user: { role, origin: 'oidc', oidc_issuer: op.issuer, email: `${account}@example.com` },
      });
    }
    // The session is the same kind as a password sign-in's: signed, HttpOnly, SameSite=Lax.
    const { callback } = await ssoSignIn(app, 'bob');
    expect(sessionCookie(callback)).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
  });

  it('links by issuer and subject: a second sign-in is the same user, with the map applied again', async () => {
    const first = await identity(app, (await ssoSignIn(app, 'carol')).callback);
    const admin = await identity(app, (await ssoSignIn(app, 'alice')).callback);
    expect(admin.user.role).toBe('admin');
    const adminCookie = sessionCookie((await ssoSignIn(app, 'alice')).callback);
    const asAdmin = { cookie: `${adminCookie?.name}=${adminCookie?.value}` };
    // An admin makes carol regular without pinning: the next sign-in applies the map again.
    const changed = await app.server.inject({
      method: 'PATCH',
      url: `/api/v1/users/${first.user.id}`,
      headers: asAdmin,
      payload: { roles: ['regular'] },
    });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ role: 'regular', roles_pinned: false });
    const again = await identity(app, (await ssoSignIn(app, 'carol')).callback);
    expect(again.user).toMatchObject({ id: first.user.id, role: 'viewer' });
    // Pinned, the admin's choice stays.
    await app.server.inject({
      method: 'PATCH',
      url: `/api/v1/users/${first.user.id}`,
      headers: asAdmin,
      payload: { roles: ['regular'], roles_pinned: true },
    });
    const pinned = await identity(app, (await ssoSignIn(app, 'carol')).callback);
    expect(pinned.user).toMatchObject({ id: first.user.id, role: 'regular', roles_pinned: true });
    const users = await app.server.inject({ method: 'GET', url: '/api/v1/users', headers: asAdmin });
    const carol = users.json().users.find((u: { username: string }) => u.username === 'carol');
    expect(carol).toMatchObject({ origin: 'oidc', oidc_issuer: op.issuer });
    expect(carol.last_login_at).not.toBeNull();
  });

  it('refuses a user none of whose groups is mapped (no default role)', async () => {
    const { callback } = await ssoSignIn(app, 'dave');
    expect(callback.statusCode).toBe(403);
    expect(callback.headers['content-type']).toMatch(/text\/html/);
    expect(callback.body).toContain('oidc_no_role');
    expect(sessionCookie(callback)).toBeUndefined();
  });

  it('refuses an email of a domain not allowed, and an unverified email', async () => {
    const other = await ssoSignIn(app, 'mallory');
    expect(other.callback.statusCode).toBe(403);
    expect(other.callback.body).toContain('oidc_domain_not_allowed');
    const unverified = await ssoSignIn(app, 'eve');
    expect(unverified.callback.statusCode).toBe(403);
    expect(unverified.callback.body).toContain('oidc_email_unverified');
    expect(sessionCookie(unverified.callback)).toBeUndefined();
  });

  it('refuses a replayed state: the callback works once', async () => {
    const first = await ssoSignIn(app, 'bob');
    expect(first.callback.statusCode).toBe(302);
    const replay = await app.server.inject({
      method: 'GET',
      url: `${first.back.pathname}${first.back.search}`,
      headers: { cookie: first.flowCookie },
    });
    expect(replay.statusCode).toBe(400);
    expect(replay.json()).toMatchObject({ error: true, code: 'oidc_state_invalid' });
    expect(sessionCookie(replay)).toBeUndefined();
  });

  it('finishes on another replica than the one it started on (flows live in the system DB)', async () => {
    const replica = await startTestApp(dialect, { replicaOf: app, env: oidcEnv(op) });
    try {
      const login = await app.server.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' });
      const back = await signInAtProvider(String(login.headers.location), 'carol');
      const callback = await replica.server.inject({
        method: 'GET',
        url: `${back.pathname}${back.search}`,
        headers: { cookie: cookieHeader(login) },
      });
      expect(callback.statusCode, callback.body).toBe(302);
      expect((await identity(app, callback)).user.username).toBe('carol');
      // Consumed there, it is gone here too.
      const replay = await app.server.inject({
        method: 'GET',
        url: `${back.pathname}${back.search}`,
        headers: { cookie: cookieHeader(login) },
      });
      expect(replay.json().code).toBe('oidc_state_invalid');
    } finally {
      await replica.cleanup();
    }
  });

  it("refuses a state that is not this browser's sign-in, and a callback without the flow cookie", async () => {
    const mine = await app.server.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' });
    const theirs = await app.server.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' });
    const back = await signInAtProvider(String(theirs.headers.location), 'bob');
    const swapped = await app.server.inject({
      method: 'GET',
      url: `${back.pathname}${back.search}`,
      headers: { cookie: cookieHeader(mine) },
    });
    expect(swapped.statusCode).toBe(400);
    expect(swapped.json().code).toBe('oidc_state_invalid');
    const none = await app.server.inject({ method: 'GET', url: `${back.pathname}${back.search}` });
    expect(none.statusCode).toBe(400);
    expect(none.json().code).toBe('oidc_flow_missing');
  });

  it('refuses ID tokens with a wrong audience, an expired one, a tampered nonce or a bad signature', async () => {
    const cases: [string, (c: Record<string, unknown>) => Record<string, unknown>][] = [
      ['wrong audience', (c) => ({ ...c, aud: 'another-client' })],
      [
        'expired',
        (c) => ({
          ...c,
          iat: Math.floor(Date.now() / 1000) - 7200,
          exp: Math.floor(Date.now() / 1000) - 3600,
        }),
      ],
      ['tampered nonce', (c) => ({ ...c, nonce: 'not-the-nonce-sent' })],
      ['wrong issuer', (c) => ({ ...c, iss: 'https://evil.example.com' })],
    ];
    try {
      for (const [what, fn] of cases) {
        op.tamper(fn);
        const { callback } = await ssoSignIn(app, 'alice');
        expect(callback.statusCode, what).toBe(401);
        expect(callback.body, what).toContain('oidc_token_invalid');
        expect(sessionCookie(callback), what).toBeUndefined();
      }
      op.tamper((c) => c, { foreignKey: true });
      const { callback } = await ssoSignIn(app, 'alice');
      expect(callback.statusCode, 'foreign signature').toBe(401);
      expect(sessionCookie(callback)).toBeUndefined();
    } finally {
      op.tamper(null);
    }
  });

  it('sends a signed-in browser only to paths of this site after sign-in', async () => {
    for (const next of ['//evil.example.com/x', 'https://evil.example.com/', '/\\evil.example.com']) {
      const { callback } = await ssoSignIn(app, 'bob', next);
      expect(callback.statusCode).toBe(302);
      expect(callback.headers.location, next).toBe('/');
    }
  });

  it("offers the provider's sign-out after the local one", async () => {
    const res = await app.server.inject({ method: 'GET', url: '/api/v1/auth/oidc/end-session' });
    expect(res.statusCode).toBe(302);
    const url = new URL(String(res.headers.location));
    expect(url.origin).toBe(op.issuer);
    expect(url.searchParams.get('client_id')).toBe(op.clientId);
  });
});

describe('single sign-on settings', () => {
  let op: TestOpenIdProvider;
  const apps: TestApp[] = [];
  beforeAll(async () => {
    op = await startOpenIdProvider({
      redirectUris: [CALLBACK, 'https://meltano.example.com/meltano/api/v1/auth/oidc/callback'],
      claimsInIdToken: true,
    });
  });
  afterAll(async () => {
    for (const app of apps) await app.cleanup();
    await op?.close();
  });
  const start = async (env: Record<string, string>) => {
    const app = await startTestApp('sqlite', { env });
    apps.push(app);
    return app;
  };

  it('gives the default role to a user without a mapped group (groups in the ID token)', async () => {
    const app = await start(oidcEnv(op, { MELTANO_UI_OIDC_DEFAULT_ROLE: 'viewer' }));
    const { callback } = await ssoSignIn(app, 'dave');
    expect(callback.statusCode, callback.body).toBe(302);
    expect((await identity(app, callback)).user.role).toBe('viewer');
  });

  it('ui.oidc.only: password sign-in is refused on the web, the provider still signs in', async () => {
    const app = await start(oidcEnv(op, { MELTANO_UI_OIDC_ONLY: 'true' }));
    await addLocalUser(app, 'local', 'a-local-password');
    const methods = await app.server.inject({ method: 'GET', url: '/api/v1/auth/methods' });
    expect(methods.json()).toMatchObject({ auth_methods: ['oidc'], oidc: { only: true } });
    const password = await app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'local', password: 'a-local-password' },
    });
    expect(password.statusCode).toBe(403);
    expect(password.json().code).toBe('password_sign_in_off');
    const { callback } = await ssoSignIn(app, 'alice');
    expect(callback.statusCode).toBe(302);
  });

  it('builds the redirect URI from ui.server_name and ui.base_path, never from the Host header', async () => {
    const app = await start(
      oidcEnv(op, {
        MELTANO_UI_SERVER_NAME: 'meltano.example.com',
        MELTANO_UI_BASE_PATH: '/meltano',
        MELTANO_UI_FORWARDED_ALLOW_IPS: '127.0.0.1',
      }),
    );
    const login = await app.server.inject({
      method: 'GET',
      url: '/meltano/api/v1/auth/oidc/login?next=/runs',
      headers: {
        host: 'meltano.example.com',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'evil.example.com',
      },
      remoteAddress: '127.0.0.1',
    });
    expect(login.statusCode, login.body).toBe(302);
    const url = new URL(String(login.headers.location));
    expect(url.searchParams.get('redirect_uri')).toBe(
      'https://meltano.example.com/meltano/api/v1/auth/oidc/callback',
    );
    expect(login.cookies.find((c) => c.name === 'meltano_ui_oidc_flow')).toMatchObject({
      path: '/meltano/api/v1/auth/oidc/',
      secure: true,
    });
  });

  it('a ui.server_name without a port keeps the port of the Host the host check accepted', async () => {
    const app = await start(oidcEnv(op, { MELTANO_UI_SERVER_NAME: 'localhost' }));
    const login = await app.server.inject({
      method: 'GET',
      url: '/api/v1/auth/oidc/login',
      headers: { host: 'localhost:8123' },
    });
    expect(login.statusCode, login.body).toBe(302);
    expect(new URL(String(login.headers.location)).searchParams.get('redirect_uri')).toBe(
      'http://localhost:8123/api/v1/auth/oidc/callback',
    );
  });

  it('works with a client registered for client_secret_post too', async () => {
    const post = await startOpenIdProvider({
      redirectUris: [CALLBACK],
      tokenAuthMethod: 'client_secret_post',
    });
    try {
      const app = await start(oidcEnv(post));
      for (const account of ['bob', 'carol']) {
        const { callback } = await ssoSignIn(app, account);
        expect(callback.statusCode, callback.body).toBe(302);
      }
    } finally {
      await post.close();
    }
  });

  it('provider down: start-up and password sign-in work, the button answers a clear error page', async () => {
    const closed = await freePort();
    const app = await start(oidcEnv(op, { MELTANO_UI_OIDC_ISSUER: `http://127.0.0.1:${closed}` }));
    const user = await addLocalUser(app, 'breakglass', 'a-local-password', ['admin']);
    expect(user.username).toBe('breakglass');
    const page = await app.server.inject({
      method: 'GET',
      url: '/api/v1/auth/oidc/login',
      headers: { accept: 'text/html' },
    });
    expect(page.statusCode).toBe(503);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('cannot be reached');
    const api = await app.server.inject({ method: 'GET', url: '/api/v1/auth/oidc/login' });
    expect(api.statusCode).toBe(503);
    expect(api.json().code).toBe('oidc_provider_unavailable');
    const password = await app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'breakglass', password: 'a-local-password' },
    });
    expect(password.statusCode).toBe(200);
  });

  it('refuses an http issuer that is not on loopback, and a role map that is not JSON', () => {
    const config = (env: Record<string, string>) =>
      oidcConfigFrom(resolveUiSettings({ env, dotenv: {}, meltanoYml: {}, expansionVars: {} }), true);
    expect(() => config({ ...oidcEnv(op), MELTANO_UI_OIDC_ISSUER: 'http://idp.example.com' })).toThrow(
      /https/,
    );
    expect(config({ ...oidcEnv(op), MELTANO_UI_OIDC_ISSUER: 'http://[::1]:8080/' })?.issuer).toBe(
      'http://[::1]:8080',
    );
    expect(() => config({ ...oidcEnv(op), MELTANO_UI_OIDC_ROLE_MAP: 'admins=admin' })).toThrow(/JSON object/);
    expect(() => config({ ...oidcEnv(op), MELTANO_UI_OIDC_ROLE_MAP: '{"x": "root"}' })).toThrow(
      /admin, regular or viewer/,
    );
    expect(() => config({ ...oidcEnv(op), MELTANO_UI_OIDC_CLIENT_ID: '' })).toThrow(/client_id/);
  });

  it('maps the deprecated ui.oauth_enabled and oauth.gitlab.* onto the GitLab issuer', async () => {
    const app = await start({
      MELTANO_UI_AUTHENTICATION: 'true',
      MELTANO_UI_OAUTH_ENABLED: 'true',
      MELTANO_OAUTH_GITLAB_CLIENT_ID: 'gitlab-app-id',
      MELTANO_OAUTH_GITLAB_CLIENT_SECRET: 'gitlab-secret',
    });
    const config = await loadAuthConfig({ root: app.core.root, settings: app.core.settings });
    expect(config.oidc).toMatchObject({
      issuer: 'https://gitlab.com',
      clientId: 'gitlab-app-id',
      deprecatedGitlab: true,
      buttonLabel: 'Sign in with GitLab',
    });
  });
});
