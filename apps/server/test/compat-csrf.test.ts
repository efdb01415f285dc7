import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

// The CSRF refinement (issue 18, item 4), on our API and the old UI's alike: a request with no cookie
// and none of a browser's markers (Origin, Referer, Sec-Fetch-*) cannot be a cross-site forgery, so
// plain scripts need no X-Requested-With; a request with a session cookie still does.
const LEGACY_SALT = 'fixture-salt-7f3a9c';
const ALICE = { username: 'alice', password: 'S3cret-pass' };

describe.each(DIALECTS)('CSRF: scripts without browser markers (%s)', (dialect) => {
  let open: TestApp;
  let authed: TestApp;
  beforeAll(async () => {
    open = await startTestApp(dialect, { version: 'v2.20.0' });
    authed = await startTestApp(dialect, {
      version: 'v2.20.0',
      env: { MELTANO_UI_AUTHENTICATION: 'true', MELTANO_UI_LEGACY_PASSWORD_SALT: LEGACY_SALT },
    });
  });
  afterAll(async () => {
    await open.cleanup();
    await authed.cleanup();
  });

  // 'x-requested-with': '' makes the test helper leave the header out, as curl would.
  const script = { 'x-requested-with': '' };
  const subscribe = (app: TestApp, headers: Record<string, string>) =>
    app.server.inject({
      method: 'POST',
      url: '/api/v1/orchestrations/subscriptions',
      payload: {
        recipient: `a${Math.random().toString(36).slice(2)}@example.com`,
        event_type: 'pipeline_manual_run',
      },
      headers: { ...script, ...headers },
    });

  it('authentication off: a cookie-less script may POST without X-Requested-With (old API and ours)', async () => {
    expect((await subscribe(open, {})).statusCode).toBe(201);
    // Node's fetch adds Sec-Fetch-Mode by itself (a browser never sends it without Sec-Fetch-Site).
    expect((await subscribe(open, { 'sec-fetch-mode': 'cors' })).statusCode).toBe(201);
    const ours = await open.server.inject({
      method: 'POST',
      url: '/api/v1/runs/987654/cancel',
      headers: script,
    });
    expect(ours.statusCode).toBe(404);
  });

  it('a request with Origin, Referer or Sec-Fetch-* but no X-Requested-With is still refused', async () => {
    for (const marker of <Record<string, string>[]>[
      { origin: 'http://localhost' },
      { referer: 'http://localhost/pipelines' },
      { 'sec-fetch-site': 'same-origin' },
      { 'sec-fetch-site': 'none', 'sec-fetch-mode': 'navigate' },
      { 'sec-fetch-dest': 'document' },
    ]) {
      const res = await subscribe(open, marker);
      expect(res.statusCode, JSON.stringify(marker)).toBe(403);
      expect(res.json().code).toBe('csrf_rejected');
    }
  });

  it('a forged cross-site request with a session cookie is refused; the same with X-Requested-With from our origin passes', async () => {
    const login = await authed.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ALICE });
    const cookie = login.cookies.find((c) => c.name.endsWith('meltano_ui_session'));
    const header = `${cookie?.name}=${cookie?.value}`;
    // A form posted from another site: the cookie rides along, the header cannot.
    const forged = await subscribe(authed, {
      cookie: header,
      origin: 'https://evil.example',
      'sec-fetch-site': 'cross-site',
    });
    expect(forged.statusCode).toBe(403);
    // Even with no browser markers at all, a request carrying the cookie needs the header.
    const bare = await subscribe(authed, { cookie: header });
    expect(bare.statusCode).toBe(403);
    expect(bare.json().code).toBe('csrf_rejected');
    const spa = await subscribe(authed, { cookie: header, 'x-requested-with': 'XMLHttpRequest' });
    expect(spa.statusCode).toBe(201);
  });

  it('authentication on: a cookie-less script is 401 without a token, and passes with an API token', async () => {
    const anonymous = await subscribe(authed, {});
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).toBe('Authentication is required to access this resource.');
    const login = await authed.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: ALICE });
    const cookie = login.cookies.find((c) => c.name.endsWith('meltano_ui_session'));
    const created = await authed.server.inject({
      method: 'POST',
      url: '/api/v1/account/tokens',
      payload: { name: 'csrf-script' },
      headers: { cookie: `${cookie?.name}=${cookie?.value}` },
    });
    expect(created.statusCode, created.body).toBe(201);
    const token = created.json().token as string;
    expect((await subscribe(authed, { authorization: `Bearer ${token}` })).statusCode).toBe(201);
    // The old Authentication-Token header is not supported: API tokens are the way.
    expect((await subscribe(authed, { 'authentication-token': token })).statusCode).toBe(401);
  });
});
