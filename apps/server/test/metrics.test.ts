import { fileURLToPath } from 'node:url';
import { createAuthService } from '@meltano-ui/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, TEST_SECRETS, type TestApp } from './support/test-app.js';
import { until } from './support/wait.js';

// Pipelines are run by the Meltano-CLI stand-in (test-fixtures/meltano-standin), not the real Meltano.
const STANDIN = fileURLToPath(
  new URL('../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url),
);
const REMOTE = '10.20.30.40';

/** The value of one sample of the exposition text (`name{labels} value`), or null when absent. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

describe.each(DIALECTS)('GET /api/v1/metrics (%s)', (dialect) => {
  let app: TestApp;
  let token = '';
  let cookie = '';

  beforeAll(async () => {
    app = await startTestApp(dialect, {
      env: {
        MELTANO_UI_METRICS_ENABLED: 'true',
        MELTANO_UI_AUTHENTICATION: 'true',
        MELTANO_UI_MELTANO_EXECUTABLE: STANDIN,
        STANDIN_MODE: 'hang',
        STANDIN_DELAY_MS: '100',
      },
      launcher: { cancelGraceMs: 3000 },
    });
    const auth = createAuthService({ db: app.core.db, passwordSalt: TEST_SECRETS.MELTANO_UI_PASSWORD_SALT });
    const user = await auth.users.create({
      username: 'metrics-op',
      password: 'metrics-pass',
      roles: ['regular'],
    });
    token = (await auth.createApiToken(user.id, 'scraper')).token;
    const login = await app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'metrics-op', password: 'metrics-pass' },
    });
    const c = login.cookies.find((k) => k.name === 'meltano_ui_session');
    cookie = `${c?.name}=${c?.value}`;
  });
  afterAll(() => app.cleanup());

  const scrape = async () => {
    const res = await app.server.inject({ url: '/api/v1/metrics' });
    expect(res.statusCode, res.body).toBe(200);
    return res.body;
  };

  it('answers this machine (loopback peer) in Prometheus text format', async () => {
    const res = await app.server.inject({ url: '/api/v1/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toMatch(/^# HELP meltano_ui_http_request_duration_seconds /m);
    // Node's default metrics: event-loop lag and memory among them.
    expect(sample(res.body, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);
    expect(sample(res.body, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    expect(sample(res.body, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    expect(sample(res.body, `meltano_ui_db_errors_total{dialect="${dialect}"}`)).toBe(0);
  });

  it('from elsewhere only with an API token: 401 without, 403 for a browser session, never by X-Forwarded-For', async () => {
    const remote = (headers: Record<string, string> = {}, remoteAddress = REMOTE) =>
      app.server.inject({ url: '/api/v1/metrics', remoteAddress, headers });
    const none = await remote();
    expect([none.statusCode, none.json().code, none.headers['www-authenticate']]).toEqual([
      401,
      'metrics_token_required',
      'Bearer',
    ]);
    const forged = await remote({ 'x-forwarded-for': '127.0.0.1' });
    expect([forged.statusCode, forged.json().code]).toEqual([401, 'metrics_token_required']);
    // A proxy on this machine relays the world: what it forwards is not local.
    const proxied = await remote({ 'x-forwarded-for': '203.0.113.9' }, '127.0.0.1');
    expect([proxied.statusCode, proxied.json().code]).toEqual([401, 'metrics_token_required']);
    const session = await remote({ cookie });
    expect([session.statusCode, session.json().code]).toEqual([403, 'metrics_token_only']);
    const wrong = await remote({ authorization: 'Bearer mui_not-a-token' });
    expect([wrong.statusCode, wrong.json().code]).toEqual([401, 'invalid_token']);
    const ok = await remote({ authorization: `Bearer ${token}` });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('meltano_ui_sse_streams_open');
    // IPv6 loopback is this machine too.
    expect((await remote({}, '::1')).statusCode).toBe(200);
  });

  it('request durations by method, route pattern and status', async () => {
    for (const id of [8, 9, 987654]) {
      await app.server.inject({ url: `/api/v1/runs/${id}`, headers: { cookie } });
    }
    const text = await scrape();
    const series = (status: number, le: string) =>
      `meltano_ui_http_request_duration_seconds_bucket{le="${le}",method="GET",route="/api/v1/runs/:id",status_code="${status}"}`;
    expect(sample(text, series(200, '+Inf'))).toBe(2);
    expect(sample(text, series(404, '+Inf'))).toBe(1);
    expect(
      sample(
        text,
        'meltano_ui_http_request_duration_seconds_count{method="GET",route="/api/v1/runs/:id",status_code="200"}',
      ),
    ).toBe(2);
    // A concrete id never becomes a label: the cardinality is the route table's.
    expect(text).not.toContain('/api/v1/runs/8"');
  });

  it('the system database pool (PostgreSQL only)', async () => {
    const text = await scrape();
    if (dialect === 'postgres') {
      expect(sample(text, 'meltano_ui_db_pool_connections{state="total"}')).toBeGreaterThanOrEqual(1);
      expect(sample(text, 'meltano_ui_db_pool_connections{state="waiting"}')).toBe(0);
    } else {
      expect(text).not.toMatch(/^meltano_ui_db_pool_connections\{/m);
    }
  });

  it('open live-log streams, counted while their connection is open', async () => {
    const address = await app.server.listen({ host: '127.0.0.1', port: 0 });
    const opened = new AbortController();
    const res = await fetch(`${address}/api/v1/runs/8/log/stream?offset=0`, {
      headers: { cookie },
      signal: opened.signal,
    });
    expect(res.status).toBe(200);
    await until(
      'the stream to count',
      async () => sample(await scrape(), 'meltano_ui_sse_streams_open') === 1,
    );
    opened.abort();
    await until(
      'the stream to be closed',
      async () => sample(await scrape(), 'meltano_ui_sse_streams_open') === 0,
    );
  });

  it('pipeline runs started and cancelled through this replica, and the ones it still runs', async () => {
    const before = await scrape();
    expect(sample(before, 'meltano_ui_launches_active')).toBe(0);
    const started = await app.server.inject({
      method: 'POST',
      url: '/api/v1/schedules/cron-demo/run',
      headers: { cookie },
    });
    expect(started.statusCode, started.body).toBe(202);
    const launch = started.json() as { pid: number };
    const run = await until('the run row', async () => {
      const res = await app.server.inject({
        url: '/api/v1/runs?state_id=cron-demo&status=running',
        headers: { cookie },
      });
      return (res.json().items as { id: number }[])[0];
    });
    const during = await scrape();
    expect(sample(during, 'meltano_ui_runs_started_total{kind="schedule"}')).toBe(1);
    expect(sample(during, 'meltano_ui_launches_active')).toBe(1);
    const cancel = await app.server.inject({
      method: 'POST',
      url: `/api/v1/runs/${run.id}/cancel`,
      headers: { cookie },
    });
    expect(cancel.statusCode).toBe(202);
    expect(sample(await scrape(), 'meltano_ui_runs_cancelled_total')).toBe(1);
    await until('the launch to end', async () => sample(await scrape(), 'meltano_ui_launches_active') === 0);
    await until('the process to exit', async () => {
      try {
        process.kill(launch.pid, 0);
        return false;
      } catch {
        return true;
      }
    });
  });
});

describe('metrics off (the default)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('sqlite', {});
  });
  afterAll(() => app.cleanup());

  it('answers 404 metrics_disabled, even to this machine', async () => {
    const res = await app.server.inject({ url: '/api/v1/metrics' });
    expect([res.statusCode, res.json().code]).toEqual([404, 'metrics_disabled']);
  });
});

describe('metrics with authentication off', () => {
  let app: TestApp;
  let token = '';
  beforeAll(async () => {
    app = await startTestApp('sqlite', { env: { MELTANO_UI_METRICS_ENABLED: 'true' } });
    const auth = createAuthService({ db: app.core.db, passwordSalt: TEST_SECRETS.MELTANO_UI_PASSWORD_SALT });
    const user = await auth.users.create({
      username: 'scraper',
      password: 'scraper-pass',
      roles: ['viewer'],
    });
    token = (await auth.createApiToken(user.id, 'prometheus')).token;
  });
  afterAll(() => app.cleanup());

  it('still needs a token from elsewhere (everyone being admin is not a reason to publish them)', async () => {
    const res = await app.server.inject({ url: '/api/v1/metrics', remoteAddress: REMOTE });
    expect([res.statusCode, res.json().code]).toEqual([401, 'metrics_token_required']);
    const bad = await app.server.inject({
      url: '/api/v1/metrics',
      remoteAddress: REMOTE,
      headers: { authorization: 'Bearer mui_nope' },
    });
    expect([bad.statusCode, bad.json().code]).toEqual([401, 'invalid_token']);
    const ok = await app.server.inject({
      url: '/api/v1/metrics',
      remoteAddress: REMOTE,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(ok.statusCode).toBe(200);
  });

  it('a request with Authorization must hold a valid token, even from this machine', async () => {
    for (const authorization of ['Basic c2NyYXBlcjp4', 'Bearer mui_nope', 'Bearer']) {
      const res = await app.server.inject({ url: '/api/v1/metrics', headers: { authorization } });
      expect([authorization, res.statusCode, res.json().code]).toEqual([authorization, 401, 'invalid_token']);
    }
  });

  it('two apps in one process keep separate registries', async () => {
    const other = await startTestApp('sqlite', { env: { MELTANO_UI_METRICS_ENABLED: 'true' } });
    try {
      await other.server.inject({ url: '/api/v1/runs/8' });
      const mine = (await app.server.inject({ url: '/api/v1/metrics' })).body;
      const theirs = (await other.server.inject({ url: '/api/v1/metrics' })).body;
      const series =
        'meltano_ui_http_request_duration_seconds_count{method="GET",route="/api/v1/runs/:id",status_code="200"}';
      expect(sample(theirs, series)).toBe(1);
      expect(sample(mine, series)).toBeNull();
    } finally {
      await other.cleanup();
    }
  });
});

describe('metrics with ui.server_name set', () => {
  let app: TestApp;
  let token = '';
  beforeAll(async () => {
    app = await startTestApp('sqlite', {
      env: { MELTANO_UI_METRICS_ENABLED: 'true', MELTANO_UI_SERVER_NAME: 'meltano.example.com' },
    });
    const auth = createAuthService({ db: app.core.db, passwordSalt: TEST_SECRETS.MELTANO_UI_PASSWORD_SALT });
    const user = await auth.users.create({
      username: 'k8s-scraper',
      password: 'scraper-pass',
      roles: ['viewer'],
    });
    token = (await auth.createApiToken(user.id, 'prometheus')).token;
  });
  afterAll(() => app.cleanup());

  it('a scraper with a token may name the replica by its address; others still meet the host check', async () => {
    const byAddress = (headers: Record<string, string>) =>
      app.server.inject({
        url: '/api/v1/metrics',
        remoteAddress: REMOTE,
        headers: { host: '10.1.0.7:5000', ...headers },
      });
    expect((await byAddress({ authorization: `Bearer ${token}` })).statusCode).toBe(200);
    const wrong = await byAddress({ authorization: 'Bearer mui_nope' });
    expect([wrong.statusCode, wrong.json().code]).toEqual([401, 'invalid_token']);
    const noToken = await byAddress({});
    expect([noToken.statusCode, noToken.json().code]).toEqual([404, 'unknown_host']);
    // Only the metrics route: a token does not open the rest of the API to other names.
    const other = await app.server.inject({
      url: '/api/v1/runs',
      headers: { host: '10.1.0.7:5000', authorization: `Bearer ${token}` },
    });
    expect([other.statusCode, other.json().code]).toEqual([404, 'unknown_host']);
  });
});

describe('metrics while the system database is unreachable', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('sqlite', {
      env: {
        MELTANO_UI_METRICS_ENABLED: 'true',
        // A closed port: every connect is refused at once.
        MELTANO_DATABASE_URI: 'postgresql://postgres@127.0.0.1:9/meltano_nowhere',
      },
    });
  });
  afterAll(() => app.cleanup());

  it('counts the failures, and the scrape itself still answers', async () => {
    const before = (await app.server.inject({ url: '/api/v1/metrics' })).body;
    const failed = await app.server.inject({ url: '/api/v1/runs' });
    expect([failed.statusCode, failed.json().code]).toEqual([503, 'database_unavailable']);
    const res = await app.server.inject({ url: '/api/v1/metrics' });
    expect(res.statusCode).toBe(200);
    const errors = (text: string) => sample(text, 'meltano_ui_db_errors_total{dialect="postgres"}') ?? -1;
    expect(errors(res.body)).toBeGreaterThan(errors(before));
    expect(sample(res.body, 'meltano_ui_db_pool_connections{state="idle"}')).toBe(0);
  });
});
