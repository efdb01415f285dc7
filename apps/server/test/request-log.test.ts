import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAuthService } from '@meltano-ui/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pinoLevelOf, redactUrl } from '../src/log-options.js';
import { DIALECTS, startTestApp, TEST_SECRETS, type TestApp } from './support/test-app.js';

interface LogLine {
  level: number;
  msg: string;
  reqId?: string;
  method?: string;
  route?: string | null;
  url?: string;
  status?: number;
  ms?: number;
  user?: string;
  token?: string;
}

const QUERY_SECRETS = ['tok-7d1e5b9a-query', 'acc-3f9c2e81-query', 'key-5a1b7c3d-query', 'pw-9e8d7c6b-query'];

describe('redactUrl', () => {
  it('hides the values of secret-looking parameters and URIs with passwords, keeps the rest as sent', () => {
    expect(redactUrl('/api/v1/runs?token=abc&limit=5&access_token=def&api_key=ghi')).toBe(
      '/api/v1/runs?token=(redacted)&limit=5&access_token=(redacted)&api_key=(redacted)',
    );
    expect(redactUrl('/x?Password=1&client_secret=2&sig=3&apiKey=4&x-amz-signature=5&state_id=a%2Fb')).toBe(
      '/x?Password=(redacted)&client_secret=(redacted)&sig=(redacted)&apiKey=(redacted)&x-amz-signature=(redacted)&state_id=a%2Fb',
    );
    expect(redactUrl('/x?uri=postgresql%3A%2F%2Fmeltano%3Ahunter2%40db%2Fm&flag&empty=')).toBe(
      '/x?uri=(redacted)&flag&empty=',
    );
    expect(redactUrl('/x?%74oken=encoded-name')).toBe('/x?%74oken=(redacted)');
    expect(redactUrl('/api/v1/runs/12')).toBe('/api/v1/runs/12');
  });

  it("maps Meltano's cli.log_level values to pino levels and refuses others", () => {
    expect(['debug', 'INFO', 'warning', 'error', 'critical'].map(pinoLevelOf)).toEqual([
      'debug',
      'info',
      'warn',
      'error',
      'fatal',
    ]);
    expect(() => pinoLevelOf('verbose')).toThrow(/cli.log_level must be one of debug, info, warning/);
  });
});

describe.each(DIALECTS)('request log lines (%s)', (dialect) => {
  let app: TestApp;
  let debugApp: TestApp;
  const lines: string[] = [];
  const debugLines: string[] = [];
  let apiToken = '';
  let sessionCookie = '';
  const parsed = (from: string[]) => from.map((l) => JSON.parse(l) as LogLine);
  const requestLines = (from: string[]) => parsed(from).filter((l) => l.status !== undefined);

  beforeAll(async () => {
    app = await startTestApp(dialect, {
      env: { MELTANO_UI_AUTHENTICATION: 'true' },
      logLines: lines,
    });
    const auth = createAuthService({ db: app.core.db, passwordSalt: TEST_SECRETS.MELTANO_UI_PASSWORD_SALT });
    const user = await auth.users.create({
      username: 'ops-olga',
      password: 'ops-password',
      roles: ['viewer'],
    });
    apiToken = (await auth.createApiToken(user.id, 'prometheus scraper')).token;
    const login = await app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'ops-olga', password: 'ops-password' },
    });
    const cookie = login.cookies.find((c) => c.name === 'meltano_ui_session');
    sessionCookie = `${cookie?.name}=${cookie?.value}`;
    debugApp = await startTestApp(dialect, { logLines: debugLines, logLevel: 'debug' });
  });
  afterAll(async () => {
    await app.cleanup();
    await debugApp.cleanup();
  });

  it('one line per request: method, route pattern, redacted URL, status, ms, request id and user', async () => {
    lines.length = 0;
    const query = `token=${QUERY_SECRETS[0]}&access_token=${QUERY_SECRETS[1]}&api_key=${QUERY_SECRETS[2]}&password=${QUERY_SECRETS[3]}&limit=2`;
    const byToken = await app.server.inject({
      url: `/api/v1/runs/8?${query}`,
      headers: { authorization: `Bearer ${apiToken}` },
    });
    expect(byToken.statusCode).toBe(200);
    const bySession = await app.server.inject({
      url: '/api/v1/runs?limit=1',
      headers: { cookie: sessionCookie },
    });
    expect(bySession.statusCode).toBe(200);
    const anonymous = await app.server.inject({ url: '/api/v1/project' });
    expect(anonymous.statusCode).toBe(401);
    const unknown = await app.server.inject({ url: `/api/v1/nowhere?token=${QUERY_SECRETS[0]}` });
    expect(unknown.statusCode).toBe(404);

    const got = requestLines(lines);
    expect(
      got.map(({ level, method, route, url, status, user, token }) => ({
        level,
        method,
        route,
        url,
        status,
        user,
        token,
      })),
    ).toEqual([
      {
        level: 30,
        method: 'GET',
        route: '/api/v1/runs/:id',
        url: '/api/v1/runs/8?token=(redacted)&access_token=(redacted)&api_key=(redacted)&password=(redacted)&limit=2',
        status: 200,
        user: 'ops-olga',
        token: 'prometheus scraper',
      },
      {
        level: 30,
        method: 'GET',
        route: '/api/v1/runs',
        url: '/api/v1/runs?limit=1',
        status: 200,
        user: 'ops-olga',
        token: undefined,
      },
      {
        level: 30,
        method: 'GET',
        route: '/api/v1/project',
        url: '/api/v1/project',
        status: 401,
        user: 'anonymous',
        token: undefined,
      },
      {
        level: 30,
        method: 'GET',
        route: null,
        url: '/api/v1/nowhere?token=(redacted)',
        status: 404,
        user: 'anonymous',
        token: undefined,
      },
    ]);
    // Each line carries its own request id and a duration.
    expect(new Set(got.map((l) => l.reqId)).size).toBe(4);
    for (const l of got) {
      expect(l.reqId).toMatch(/^[0-9a-f-]{36}$/);
      expect(l.ms).toBeGreaterThanOrEqual(0);
    }
    expect(got[0]?.msg).toBe(
      'GET /api/v1/runs/8?token=(redacted)&access_token=(redacted)&api_key=(redacted)&password=(redacted)&limit=2 200 ' +
        `${got[0]?.ms}ms ops-olga (token prometheus scraper)`,
    );
  });

  it('no line holds a query secret, the API token, the session cookie or a password', () => {
    const text = lines.join('\n');
    expect(text.length).toBeGreaterThan(0);
    const session = sessionCookie.split('=').slice(1).join('=');
    for (const secret of [...QUERY_SECRETS, apiToken, session, 'ops-password']) {
      expect(text.includes(secret), `the log holds ${secret}`).toBe(false);
    }
  });

  it('health, readiness and the web app files only at debug level', async () => {
    lines.length = 0;
    debugLines.length = 0;
    for (const target of [app, debugApp]) {
      expect((await target.server.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
      expect([200, 503]).toContain((await target.server.inject({ url: '/api/v1/ready' })).statusCode);
    }
    expect(requestLines(lines)).toEqual([]);
    const debug = requestLines(debugLines);
    expect(debug.map((l) => [l.level, l.route, l.status])).toEqual([
      [20, '/api/v1/health', 200],
      [20, '/api/v1/ready', debug[1]?.status],
    ]);
  });
});

describe('a live-log stream in the request log', () => {
  it('is logged when the browser goes away, with how long it was open', async () => {
    const lines: string[] = [];
    const app = await startTestApp('sqlite', { logLines: lines });
    try {
      const address = await app.server.listen({ host: '127.0.0.1', port: 0 });
      const controller = new AbortController();
      const res = await fetch(`${address}/api/v1/runs/8/log/stream?offset=0`, { signal: controller.signal });
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 300));
      controller.abort();
      const deadline = Date.now() + 5000;
      const streamLine = () =>
        lines.map((l) => JSON.parse(l) as LogLine).find((l) => l.route === '/api/v1/runs/:id/log/stream');
      while (streamLine() === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(streamLine()).toMatchObject({
        level: 30,
        status: 200,
        closed_by_client: true,
        user: 'anonymous',
      });
      expect(streamLine()?.ms).toBeGreaterThanOrEqual(250);
    } finally {
      await app.cleanup();
    }
  });
});

describe('the web app files in the request log', () => {
  it('at debug level only; a missing asset (a 404) at info', async () => {
    const web = fs.mkdtempSync(path.join(os.tmpdir(), 'web-root-'));
    fs.writeFileSync(path.join(web, 'index.html'), '<html><head></head><body></body></html>');
    fs.mkdirSync(path.join(web, 'assets'));
    fs.writeFileSync(path.join(web, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
    const info: string[] = [];
    const debug: string[] = [];
    const apps = [
      await startTestApp('sqlite', { webRoot: web, logLines: info }),
      await startTestApp('sqlite', { webRoot: web, logLines: debug, logLevel: 'debug' }),
    ];
    try {
      for (const app of apps) {
        expect((await app.server.inject({ url: '/assets/app-1a2b3c.js' })).statusCode).toBe(200);
        expect((await app.server.inject({ url: '/pipelines?token=x' })).statusCode).toBe(200);
        expect((await app.server.inject({ url: '/assets/app-old.js' })).statusCode).toBe(404);
      }
      const shown = (lines: string[]) =>
        lines
          .map((l) => JSON.parse(l) as LogLine)
          .filter((l) => l.status !== undefined)
          .map((l) => [l.level, l.url, l.status]);
      expect(shown(info)).toEqual([[30, '/assets/app-old.js', 404]]);
      expect(shown(debug)).toEqual([
        [20, '/assets/app-1a2b3c.js', 200],
        [20, '/pipelines?token=(redacted)', 200],
        [30, '/assets/app-old.js', 404],
      ]);
    } finally {
      for (const app of apps) await app.cleanup();
      fs.rmSync(web, { recursive: true, force: true });
    }
  });
});
