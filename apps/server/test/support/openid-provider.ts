/// <reference path="./oidc-provider.d.ts" />
import { generateKeyPairSync } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { decodeJwt, decodeProtectedHeader, importJWK, type JWK, SignJWT } from 'jose';
import Provider from 'oidc-provider';

/**
 * A real OpenID Provider for tests: `oidc-provider` (a certified OP, version pinned in
 * apps/server/package.json) on a free loopback port, with one confidential client and a few users in
 * groups. Its development login and consent pages are the ones a person would see. It prefers Node
 * 22 and says so on Node 20, but runs.
 */
export interface TestAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  preferred_username?: string;
  name?: string;
  groups?: string[];
  hd?: string;
}

export const TEST_ACCOUNTS: Record<string, TestAccount> = {
  alice: {
    sub: 'sub-alice',
    email: 'alice@example.com',
    email_verified: true,
    preferred_username: 'alice',
    groups: ['meltano-admins', 'staff'],
  },
  bob: {
    sub: 'sub-bob',
    email: 'bob@example.com',
    email_verified: true,
    preferred_username: 'bob',
    groups: ['data-engineers'],
  },
  carol: {
    sub: 'sub-carol',
    email: 'carol@example.com',
    email_verified: true,
    preferred_username: 'carol',
    groups: ['analysts'],
  },
  dave: {
    sub: 'sub-dave',
    email: 'dave@example.com',
    email_verified: true,
    preferred_username: 'dave',
    groups: ['marketing'],
  },
  eve: {
    sub: 'sub-eve',
    email: 'eve@example.com',
    email_verified: false,
    preferred_username: 'eve',
    groups: ['meltano-admins'],
  },
  mallory: {
    sub: 'sub-mallory',
    email: 'mallory@elsewhere.test',
    email_verified: true,
    preferred_username: 'mallory',
    groups: ['analysts'],
  },
};

export const TEST_ROLE_MAP = { 'meltano-admins': 'admin', 'data-engineers': 'regular', analysts: 'viewer' };

/** How the next ID tokens the provider issues are changed (and re-signed with its own key). */
export type Tamper = ((claims: Record<string, unknown>) => Record<string, unknown>) | null;

export interface TestOpenIdProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /**
   * Changes the claims of ID tokens from the token endpoint until set back to null; `foreignKey`
   * signs them with a key that is not the provider's (same key id).
   */
  tamper(fn: Tamper, opts?: { foreignKey?: boolean }): void;
  close(): Promise<void>;
}

export async function startOpenIdProvider(opts: {
  redirectUris: string[];
  /** Claims of the scopes go into the ID token too (false: only UserInfo has them, as GitLab's groups). */
  claimsInIdToken?: boolean;
  /** A port chosen beforehand (the relying party may be told the issuer before it runs). */
  port?: number;
  /** How the client authenticates at the token endpoint (the registration default: basic). */
  tokenAuthMethod?: 'client_secret_basic' | 'client_secret_post';
}): Promise<TestOpenIdProvider> {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = { ...(privateKey.export({ format: 'jwk' }) as JWK), kid: 'test-key', alg: 'RS256', use: 'sig' };
  const clientId = 'meltano-ui-test';
  const clientSecret = 'a-client-secret-for-tests-only-0123456789';
  let tamper: Tamper = null;
  let foreign = false;
  const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const port = opts.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: opts.redirectUris,
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: opts.tokenAuthMethod ?? 'client_secret_basic',
      },
    ],
    jwks: { keys: [jwk] },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['preferred_username', 'name'],
      groups: ['groups'],
      hd: ['hd'],
    },
    scopes: ['openid', 'profile', 'email', 'groups', 'offline_access'],
    conformIdTokenClaims: opts.claimsInIdToken !== true,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    cookies: { keys: ['test-cookie-key-0123456789'] },
    async findAccount(_ctx: unknown, id: string) {
      const account = TEST_ACCOUNTS[id];
      if (account === undefined) return undefined;
      return { accountId: id, claims: async () => ({ ...account }) };
    },
  });
  provider.proxy = false;
  const key = await importJWK(jwk, 'RS256');
  // Token responses pass through here: a test's tamper function rewrites the ID token's claims and
  // signs it again with the provider's own key, so only the relying party's claim checks catch it.
  provider.use(async (ctx: { path: string; body: unknown }, next: () => Promise<void>) => {
    await next();
    const body = ctx.body as { id_token?: string } | undefined;
    if (ctx.path !== '/token' || tamper === null || typeof body?.id_token !== 'string') return;
    const claims = tamper(decodeJwt(body.id_token) as Record<string, unknown>);
    const header = decodeProtectedHeader(body.id_token);
    body.id_token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid: header.kid ?? 'test-key', typ: 'JWT' })
      .sign(foreign ? foreignKey : key);
  });
  const server = provider.listen(port, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return {
    issuer,
    clientId,
    clientSecret,
    tamper(fn, opts = {}) {
      tamper = fn;
      foreign = opts.foreignKey === true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on (taken and released at once). */
export async function freePort(): Promise<number> {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * A browser's part with the provider: follows its redirects with its own cookies, fills in the
 * development login form as `account` and accepts the consent page; returns the URL the provider
 * sends the browser back to (the relying party's callback).
 */
export async function signInAtProvider(authorizationUrl: string, account: string): Promise<URL> {
  const jar = new Map<string, string>();
  const send = async (url: string, init: RequestInit = {}): Promise<Response> => {
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const line of res.headers.getSetCookie()) {
      const pair = line.split(';')[0] ?? '';
      const eq = pair.indexOf('=');
      jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    return res;
  };
  const origin = new URL(authorizationUrl).origin;
  let url = authorizationUrl;
  for (let hop = 0; hop < 20; hop++) {
    const res = await send(url);
    if (res.status >= 300 && res.status < 400) {
      const location = new URL(res.headers.get('location') ?? '', url);
      if (location.origin !== origin) return location;
      url = location.href;
      continue;
    }
    const html = await res.text();
    if (res.status !== 200) throw new Error(`provider answered ${res.status}: ${html.slice(0, 500)}`);
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    const prompt = /name="prompt" value="(\w+)"/.exec(html)?.[1];
    if (action === undefined || prompt === undefined) throw new Error(`no form on ${url}`);
    const form = new URLSearchParams({
      prompt,
      ...(prompt === 'login' ? { login: account, password: 'x' } : {}),
    });
    const posted = await send(new URL(action, url).href, {
      method: 'POST',
      body: form.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    if (posted.status < 300 || posted.status >= 400) {
      throw new Error(`provider form answered ${posted.status}: ${(await posted.text()).slice(0, 500)}`);
    }
    url = new URL(posted.headers.get('location') ?? '', url).href;
  }
  throw new Error('too many redirects at the provider');
}
