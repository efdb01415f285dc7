import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPostgres, type TestPostgres } from '../../../../packages/core/test/support/postgres.js';
import { logFileFor, openSystemDb, uuid7Hex } from '../../../../test-fixtures/meltano-standin/src/index.mjs';
import { copyWritable, DIALECTS, type Dialect, REAL_MELTANO, TEST_SECRETS } from '../support/test-app.js';
import {
  type FuzzBreadth,
  type FuzzRequest,
  malformedRequests,
  type OpenApiDocument,
  operations,
  seededRandom,
} from './malformed-requests.js';
import { type FuzzResponse, rawRequests, send, sendRaw, slowClients, statusCodes } from './send.js';
import { meltanoCli, startUiProcess, type UiProcess } from './ui-process.js';

// Walks every operation of the OpenAPI document and sends malformed requests to the real server (the
// built `meltano ui`, authentication on, runs through the Meltano-CLI stand-in, not the real Meltano)
// as anonymous, viewer, admin and API-token callers, then raw-socket oddities and slow clients.
// MELTANO_UI_FUZZ_LONG=1 runs more rounds with more random mutations (by hand; CI runs the short one).
const LONG = process.env.MELTANO_UI_FUZZ_LONG === '1';
const ROUNDS = LONG ? 6 : 1;
const BREADTH: FuzzBreadth = LONG
  ? { valuesPerField: Number.POSITIVE_INFINITY, headersPerOp: 14, randomPerOp: 60 }
  : { valuesPerField: 5, headersPerOp: 2, randomPerOp: 3 };
const CONCURRENCY = 8;
const SEED = Number(process.env.MELTANO_UI_FUZZ_SEED ?? Date.now() % 1_000_000);
const DOC = JSON.parse(
  fs.readFileSync(new URL('../../openapi.json', import.meta.url), 'utf8'),
) as OpenApiDocument;
const STANDIN = new URL('../../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url)
  .pathname;

const ADMIN_PASSWORD = `admin-${randomBytes(12).toString('hex')}`;
const VIEWER_PASSWORD = `viewer-${randomBytes(12).toString('hex')}`;
const CANARY = `FUZZ-CANARY-${randomBytes(8).toString('hex')}`;
const DEPLOY_SECRET = `deploy-${randomBytes(12).toString('hex')}`;

/**
 * The old Meltano UI's routes (tag old-meltano-ui) answer 401 and 403 with the old UI's text bodies,
 * which scripts written for it match on; every other error of theirs is JSON. So does GET /identity
 * to a caller that sends X-JSON-SCHEME (one of the old API's).
 */
const OLD_UI_PATHS = [
  /^\/api\/v1\/identity$/,
  ...Object.entries(DOC.paths)
    .filter(([, ops]) => Object.values(ops).some((o) => o.tags?.includes('old-meltano-ui')))
    .map(([p]) => new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]*')}$`)),
];
const OLD_UI_TEXTS = [
  'Authentication is required to access this resource.',
  'You do not have the required permissions.',
];
const isOldUiText = (pathname: string, status: number, body: string) =>
  (status === 401 || status === 403) &&
  OLD_UI_TEXTS.includes(body) &&
  OLD_UI_PATHS.some((r) => r.test(pathname));

interface Identity {
  name: string;
  headers: Record<string, string>;
}

interface Finding {
  label: string;
  problem: string;
}

describe.each(DIALECTS)('fuzz: malformed requests to every route (%s)', (dialect: Dialect) => {
  let scratch: string;
  let root: string;
  let pg: TestPostgres | null = null;
  let ui: UiProcess;
  let env: NodeJS.ProcessEnv;
  let secrets: string[];
  let bearer = '';
  const identities: Identity[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let sent = 0;
  const slowest: { label: string; ms: number }[] = [];

  beforeAll(async () => {
    scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'fuzz-'));
    root = copyWritable(path.join(REAL_MELTANO, 'v3.9.5', 'project'));
    // A file outside the project and a run whose log folder is a symlink to outside the logs root:
    // nothing the fuzz does may bring the canary back.
    const outside = path.join(scratch, 'outside');
    const escapeRunId = uuid7Hex();
    fs.mkdirSync(path.join(outside, escapeRunId), { recursive: true });
    fs.writeFileSync(path.join(outside, 'secret.txt'), `${CANARY}\n`);
    fs.writeFileSync(path.join(outside, escapeRunId, 'elt.log'), `${CANARY}\n`);
    const logsRoot = path.join(root, '.meltano', 'logs');
    fs.symlinkSync(outside, path.dirname(path.dirname(logFileFor(logsRoot, 'escape', escapeRunId))));
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(root, 'linked-secret.txt'));
    const sqlite = openSystemDb(`sqlite:///${path.join(root, '.meltano', 'meltano.db')}`);
    await sqlite.insertRun({
      job_name: 'escape',
      state: 'SUCCESS',
      started_at: '2026-11-21 05:00:00.000000',
      ended_at: '2026-11-21 05:00:01.000000',
      run_id: escapeRunId,
      trigger: 'cli',
    });
    await sqlite.close();
    // The project is a Git checkout of a bare repository beside it, so deployments reach git.
    const gitEnv = {
      ...process.env,
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'fuzz',
      GIT_AUTHOR_EMAIL: 'fuzz@example.com',
      GIT_COMMITTER_NAME: 'fuzz',
      GIT_COMMITTER_EMAIL: 'fuzz@example.com',
    };
    const git = (cwd: string, ...args: string[]) =>
      execFileSync('git', args, { cwd, env: gitEnv, stdio: 'ignore' });
    fs.writeFileSync(path.join(root, '.gitignore'), '.meltano/\n.env\n');
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'fuzz project');
    git(scratch, 'clone', '-q', '--bare', root, path.join(scratch, 'remote.git'));
    git(root, 'remote', 'add', 'origin', path.join(scratch, 'remote.git'));

    const home = path.join(scratch, 'home');
    fs.mkdirSync(home);
    env = {
      HOME: home,
      PATH: process.env.PATH ?? '',
      ...TEST_SECRETS,
      MELTANO_UI_AUTHENTICATION: 'true',
      MELTANO_HUB_URL: 'http://127.0.0.1:9',
      MELTANO_UI_PYPI_URL: 'http://127.0.0.1:9/pypi/meltano/json',
      MELTANO_UI_MELTANO_EXECUTABLE: STANDIN,
      // The metrics route is fuzzed like the others (this client is on loopback, so it is answered).
      MELTANO_UI_METRICS_ENABLED: 'true',
      MELTANO_UI_DEPLOY_SECRET: DEPLOY_SECRET,
    };
    if (dialect === 'postgres') {
      pg = await createTestPostgres();
      await pg.createMeltanoSchema();
      await pg.loadFromSqlite(path.join(root, '.meltano', 'meltano.db'));
      env.MELTANO_DATABASE_URI = pg.uri();
    }
    meltanoCli(
      ['user', 'add', 'fuzz-admin', ADMIN_PASSWORD, '-G', 'admin', '--project-root', root],
      root,
      env,
    );
    meltanoCli(
      ['user', 'add', 'other-admin', ADMIN_PASSWORD, '-G', 'admin', '--project-root', root],
      root,
      env,
    );
    meltanoCli(
      ['user', 'add', 'fuzz-viewer', VIEWER_PASSWORD, '-G', 'viewer', '--project-root', root],
      root,
      env,
    );
    ui = await startUiProcess(root, env);

    const origin = `http://127.0.0.1:${ui.port}`;
    const csrf = { 'x-requested-with': 'fuzz', origin };
    const signIn = async (username: string, password: string) => {
      const res = await send(ui.port, agent, {
        method: 'POST',
        path: '/api/v1/auth/login',
        headers: { ...csrf, 'content-type': 'application/json' },
        body: Buffer.from(JSON.stringify({ username, password })),
        label: 'sign in',
      });
      expect(res.status).toBe(200);
      const cookie = String(res.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
      expect(cookie).toMatch(/meltano_ui_session=/);
      return cookie;
    };
    const adminCookie = await signIn('fuzz-admin', ADMIN_PASSWORD);
    const viewerCookie = await signIn('fuzz-viewer', VIEWER_PASSWORD);
    const token = await send(ui.port, agent, {
      method: 'POST',
      path: '/api/v1/account/tokens',
      headers: { ...csrf, cookie: adminCookie, 'content-type': 'application/json' },
      body: Buffer.from(JSON.stringify({ name: 'fuzz' })),
      label: 'token',
    });
    expect(token.status).toBe(201);
    bearer = (JSON.parse(token.body) as { token: string }).token;
    identities.push(
      { name: 'anonymous', headers: csrf },
      { name: 'viewer', headers: { ...csrf, cookie: viewerCookie } },
      { name: 'admin', headers: { ...csrf, cookie: adminCookie } },
      { name: 'api token', headers: { authorization: `Bearer ${bearer}` } },
    );
    secrets = [
      TEST_SECRETS.MELTANO_UI_SECRET_KEY,
      TEST_SECRETS.MELTANO_UI_PASSWORD_SALT,
      'sk-demo-123', // TAP_DEMO_API_KEY in the project's .env (a sensitive setting)
      ADMIN_PASSWORD,
      VIEWER_PASSWORD,
      bearer,
      adminCookie.split('=')[1] ?? adminCookie,
      viewerCookie.split('=')[1] ?? viewerCookie,
      CANARY,
      DEPLOY_SECRET,
      'root:x:0:0:',
    ];
    console.log(`[fuzz ${dialect}] seed ${SEED} (MELTANO_UI_FUZZ_SEED=${SEED} replays it)`);
  }, 120_000);

  afterAll(async () => {
    agent.destroy();
    const code = await ui?.stop();
    if (ui) expect(code).toBe(0);
    await pg?.drop();
    fs.rmSync(scratch, { recursive: true, force: true });
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** Valid path values, so that mutations of the other parts reach the handlers. */
  const VALID: Record<string, string> = {
    name: 'daily-demo',
    type: 'extractors',
    setting: 'mode',
    id: '3',
    state_id: 'daily-demo',
    token_id: '1',
    launch: '1',
    install: '1',
  };
  // A signed-in caller must not sign itself out or change its password mid-fuzz (a few fixed
  // requests do those anonymously); everything else is fair game, deletes included.
  const SELF_ENDING = new Set(['post /api/v1/auth/logout', 'post /api/v1/account/password']);

  /**
   * The one 5xx that is right here: Meltano Hub is unreachable (this machine is offline) and the
   * plugin is not in the bundled catalog, so nobody can say whether it exists (503, try later).
   */
  function upstreamDown(req: FuzzRequest, res: FuzzResponse): boolean {
    const pathname = req.path.split('?')[0] ?? '';
    // The old UI's plugins/add looks the plugin up too; its error body is the old one (the message as code).
    if (res.status === 503 && pathname === '/api/v1/plugins/add')
      return /Meltano Hub cannot be reached/.test(res.body);
    if (res.status !== 503 || !/^\/api\/v1\/plugins(\/catalog\/|$)/.test(pathname)) return false;
    return req.method === 'HEAD' || /"code":"hub_unavailable"/.test(res.body);
  }

  function check(req: FuzzRequest, who: string, res: FuzzResponse, findings: Finding[]): void {
    const label = `${who}: ${req.label}`;
    if (res.error && !res.error.startsWith('client refused')) findings.push({ label, problem: res.error });
    if (res.status >= 500 && !upstreamDown(req, res)) {
      findings.push({ label, problem: `${res.status} ${res.body.slice(0, 200)}` });
    }
    const text = `${JSON.stringify(res.headers)}\n${res.body}`;
    for (const secret of secrets) {
      // Sign-in answers set the caller's own cookie; nothing else may carry a secret.
      if (text.includes(secret))
        findings.push({ label, problem: `answer holds the secret ${secret.slice(0, 6)}…` });
    }
    const type = String(res.headers['content-type'] ?? '');
    const isApi = req.path.startsWith('/api/v1/') && !req.path.startsWith('/api/v1/docs');
    // Single sign-on's login and callback are where a browser navigates: one that accepts HTML gets
    // an error page (routes/oidc.ts), anyone else the JSON error.
    const ssoPage =
      req.path.startsWith('/api/v1/auth/oidc/') && type.startsWith('text/html') && res.status < 500;
    const oldText = isOldUiText(req.path.split('?')[0] ?? '', res.status, res.body);
    if (
      isApi &&
      !ssoPage &&
      res.status >= 400 &&
      req.method !== 'HEAD' &&
      !type.startsWith('application/json') &&
      !oldText
    ) {
      findings.push({ label, problem: `error ${res.status} as ${type || 'no content type'}` });
    }
  }

  async function sendAll(requests: { req: FuzzRequest; who: Identity }[], findings: Finding[]) {
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const item = requests[next++];
        if (!item) break;
        const req = { ...item.req, headers: { ...item.who.headers, ...item.req.headers } };
        const started = performance.now();
        check(req, item.who.name, await send(ui.port, agent, req), findings);
        slowest.push({ label: `${item.who.name}: ${req.label}`, ms: performance.now() - started });
        if (slowest.length > 50) slowest.sort((a, b) => b.ms - a.ms).splice(10);
        sent++;
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }

  function round(seed: number): { req: FuzzRequest; who: Identity }[] {
    const random = seededRandom(seed);
    const all: { req: FuzzRequest; who: Identity }[] = [];
    for (const { template, method, op } of operations(DOC)) {
      const requests = malformedRequests(template, method, op, VALID, random, BREADTH);
      for (const who of identities) {
        if (who.name !== 'anonymous' && SELF_ENDING.has(`${method} ${template}`)) continue;
        // Admins reach every handler; the others are mostly refused before parsing: a share is enough.
        const share = who.name === 'admin' ? 1 : who.name === 'api token' ? 3 : 7;
        const mine = requests.filter((_, n) => n % share === 0);
        for (const req of mine) all.push({ req, who });
      }
    }
    return all;
  }

  /** The lowest RSS seen over `ms` of idleness, sooner once it is at or below `enough`. */
  const settledRss = async (ms: number, enough: number) => {
    let lowest = ui.rss();
    for (const end = Date.now() + ms; Date.now() < end && lowest > enough; ) {
      await new Promise((r) => setTimeout(r, 250));
      lowest = Math.min(lowest, ui.rss());
    }
    return lowest;
  };

  const healthy = async () => {
    const res = await send(ui.port, agent, {
      method: 'GET',
      path: '/api/v1/health',
      headers: {},
      label: 'health',
    });
    return res.status === 200 && ui.alive();
  };

  it(
    'never answers 5xx, never crashes, never leaks a secret or a file outside its root; memory settles',
    async () => {
      const findings: Finding[] = [];
      // Warm-up: one round loads every code path, so the baseline is the server's working size once
      // idle (V8 gives memory back only some seconds after allocation stops: the lowest RSS of a window).
      await sendAll(round(SEED), findings);
      // On SQLite a second warm-up round: the heap keeps growing to its working size for a while.
      if (dialect === 'sqlite') await sendAll(round(SEED + 100), findings);
      const baseline = await settledRss(10_000, 0);
      // The memory check runs on SQLite; on PostgreSQL the warm-up round is the fuzz (CI time).
      const rounds = dialect === 'sqlite' ? ROUNDS : LONG ? ROUNDS : 0;
      for (let i = 1; i <= rounds; i++) await sendAll(round(SEED + i), findings);
      expect(await healthy()).toBe(true);

      for (const { label, bytes } of rawRequests(ui.port)) {
        const raw = await sendRaw(ui.port, bytes);
        sent++;
        for (const code of statusCodes(raw))
          if (code >= 500) findings.push({ label: `raw: ${label}`, problem: `${code}` });
        for (const secret of secrets)
          if (raw.includes(secret)) findings.push({ label: `raw: ${label}`, problem: 'secret' });
      }
      expect(await healthy()).toBe(true);

      // A token in a query string (a misconfigured scraper) is redacted from the log line of its request.
      const inQuery = await send(ui.port, agent, {
        method: 'GET',
        path: `/api/v1/runs?access_token=${bearer}&token=${bearer}&api_key=${bearer}`,
        headers: {},
        label: 'token in the query string',
      });
      expect(inQuery.status).toBe(401);
      const scrape = await send(ui.port, agent, {
        method: 'GET',
        path: '/api/v1/metrics',
        headers: {},
        label: 'metrics',
      });
      expect(scrape.status).toBe(200);
      expect(scrape.body).toMatch(
        /^meltano_ui_http_request_duration_seconds_count\{method="GET",route="\/api\/v1\/runs",status_code="401"\} [1-9]/m,
      );

      // Slow clients hold sockets open while others are served.
      const slow = slowClients(ui.port, 50, 4000);
      await new Promise((r) => setTimeout(r, 500));
      const during = await Promise.all(Array.from({ length: 20 }, () => healthy()));
      await slow;
      expect(during.every(Boolean)).toBe(true);

      // Memory returns near the warmed-up baseline once idle again. RSS is not the heap: bounded
      // caches fill and V8 and SQLite keep some pages after one round on a shared machine (a clean
      // CI run saw +16%), so the bound is 25% — a leak of the size that matters (a stream that holds
      // what it reads: hundreds of MiB) is far above it; `MELTANO_UI_FUZZ_LONG=1` runs six rounds against it.
      const bound = baseline * 1.25;
      const after = await settledRss(30_000, bound);
      const logLeaks = secrets.filter((s) => ui.output().includes(s)).map((s) => `${s.slice(0, 6)}…`);
      console.log(
        `[fuzz ${dialect}] ${sent} requests, ${findings.length} findings, RSS ${(baseline / 2 ** 20).toFixed(0)} → ${(after / 2 ** 20).toFixed(0)} MiB`,
      );
      slowest.sort((a, b) => b.ms - a.ms);
      console.log(
        `[fuzz ${dialect}] slowest: ${slowest
          .slice(0, 5)
          .map((s) => `${s.label.slice(0, 90)} ${s.ms.toFixed(0)} ms`)
          .join('; ')}`,
      );
      if (process.env.MELTANO_UI_FUZZ_REPORT)
        fs.writeFileSync(process.env.MELTANO_UI_FUZZ_REPORT, JSON.stringify(findings, null, 1));
      expect(findings.slice(0, 30)).toEqual([]);
      expect(logLeaks).toEqual([]);
      expect(after).toBeLessThanOrEqual(bound);
    },
    LONG ? 3_600_000 : 240_000,
  );
});
