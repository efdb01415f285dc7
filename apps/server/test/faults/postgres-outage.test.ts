import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPostgres } from '../../../../packages/core/test/support/postgres.js';
import { type PostgresCluster, startPostgresCluster } from '../../../../test-fixtures/postgres-cluster.mjs';
import { meltanoCli, startUiProcess, type UiProcess } from '../fuzz/ui-process.js';
import { copyWritable, REAL_MELTANO, TEST_SECRETS } from '../support/test-app.js';
import { type Answer, answerWithin, timedFetch } from './timed-fetch.js';

// The built `meltano ui` on a PostgreSQL server of the test's own (never the shared one), which the
// test stops, kills, freezes and starts again under traffic. Authentication is on, so every API call
// also looks up its session in the database.
const PASSWORD = 'outage-admin-password';
const DB_CODES = ['database_unavailable', 'session_unavailable'];
const API_TARGETS = ['/api/v1/runs', '/api/v1/runs/15', '/api/v1/schedules', '/api/v1/identity'];

describe('meltano ui on PostgreSQL when the database goes away', () => {
  let cluster: PostgresCluster;
  let root: string;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let ui: UiProcess;
  let cookie: string;

  const signIn = (base: string) =>
    timedFetch(base, '/api/v1/auth/login', {
      method: 'POST',
      body: { username: 'outage-admin', password: PASSWORD },
    });
  const get = (target: string, signedIn = true) =>
    timedFetch(ui.url, target, signedIn ? { headers: { cookie } } : {});

  beforeAll(async () => {
    cluster = await startPostgresCluster('outage-pg-');
    const pg = await createTestPostgres(cluster.url());
    root = copyWritable(path.join(REAL_MELTANO, 'v3.9.5', 'project'));
    await pg.createMeltanoSchema();
    await pg.loadFromSqlite(path.join(root, '.meltano', 'meltano.db'));
    await pg.disconnect();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'outage-home-'));
    env = {
      HOME: home,
      PATH: process.env.PATH ?? '',
      ...TEST_SECRETS,
      MELTANO_UI_AUTHENTICATION: 'true',
      MELTANO_HUB_URL: 'http://127.0.0.1:9',
      MELTANO_DATABASE_URI: pg.uri(),
    };
    meltanoCli(['user', 'add', 'outage-admin', PASSWORD, '-G', 'admin', '--project-root', root], root, env);
    ui = await startUiProcess(root, env);
    cookie = await sessionCookie(ui.url);
  }, 60_000);

  afterAll(async () => {
    await ui?.stop();
    cluster?.destroy();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  /** The session cookie of a fresh sign-in. */
  async function sessionCookie(base: string): Promise<string> {
    const res = await fetch(new URL('/api/v1/auth/login', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'meltano-ui-test' },
      body: JSON.stringify({ username: 'outage-admin', password: PASSWORD }),
    });
    expect(res.status).toBe(200);
    return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  }

  /** Four clients cycling through the API, health and readiness until stopped. */
  function traffic() {
    const answers: Answer[] = [];
    let stopped = false;
    // Sign-ins are left out: the per-user throttle would refuse a loop of them (429).
    const targets = [...API_TARGETS, '/api/v1/health', '/api/v1/ready'];
    const worker = async (offset: number) => {
      for (let i = offset; !stopped; i++) answers.push(await get(targets[i % targets.length] as string));
    };
    const running = Promise.all([0, 1, 2, 3].map(worker));
    return {
      answers,
      async stop() {
        stopped = true;
        await running;
        return answers;
      },
    };
  }

  /** Nothing hung, nothing crashed: every answer within 5 s, never a 500, 503s with a stable code. */
  function expectCleanAnswers(answers: Answer[]) {
    expect(answers.length).toBeGreaterThan(20);
    const bad = answers
      .filter(
        (a) =>
          a.ms >= 5_000 ||
          (a.status !== 200 && a.status !== 503) ||
          (a.status === 503 &&
            a.target !== '/api/v1/ready' &&
            !(a.contentType.startsWith('application/json') && DB_CODES.includes(String(a.json?.code)))),
      )
      .map((a) => `${a.target} ${a.status} ${a.ms}ms ${a.body.slice(0, 200)}`);
    expect(bad).toEqual([]);
  }

  async function expectOutageAnswers() {
    const health = await get('/api/v1/health', false);
    expect(health).toMatchObject({ status: 200, json: { healthy: true } });
    // Anonymous probes (a load balancer) learn which part is broken; readers also learn why.
    for (const signedIn of [false, true]) {
      const ready = await get('/api/v1/ready', signedIn);
      expect(ready.status).toBe(503);
      const checks = (ready.json?.checks ?? []) as { name: string; ok: boolean; message: string }[];
      const database = checks.find((c) => c.name === 'database');
      expect(database).toMatchObject({ ok: false, message: signedIn ? /is unavailable/ : 'broken' });
    }
    for (const target of API_TARGETS) {
      const answer = await get(target);
      expect({ target, status: answer.status, code: answer.json?.code }).toEqual({
        target,
        status: 503,
        code: 'session_unavailable',
      });
      expect(answer.ms).toBeLessThan(5_000);
    }
    const login = await signIn(ui.url);
    expect({ status: login.status, code: login.json?.code }).toEqual({
      status: 503,
      code: 'database_unavailable',
    });
    expect(login.ms).toBeLessThan(5_000);
    expect(login.body).not.toContain('outage-admin-password');
  }

  async function expectRecoveryWithin5s() {
    const started = Date.now();
    const everything = () =>
      Promise.all([get('/api/v1/ready'), ...API_TARGETS.map((t) => get(t)), signIn(ui.url)]);
    const { answer } = await answerWithin(5_000, everything, (all) => all.every((a) => a.status === 200));
    expect(answer.map((a) => `${a.target} ${a.status}`)).toEqual(
      ['/api/v1/ready', ...API_TARGETS, '/api/v1/auth/login'].map((t) => `${t} 200`),
    );
    expect(Date.now() - started).toBeLessThan(5_000);
  }

  it.each(['fast', 'immediate'] as const)(
    'pg_ctl stop -m %s mid-traffic: 503s with a code within 5 s, then works again without a restart',
    async (mode) => {
      const load = traffic();
      try {
        await new Promise((resolve) => setTimeout(resolve, 500));
        cluster.stop(mode);
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        await expectOutageAnswers();
        cluster.start();
        await expectRecoveryWithin5s();
      } finally {
        if (!cluster.running) cluster.start();
        await load.stop();
      }
      const answers = load.answers;
      expectCleanAnswers(answers);
      expect(answers.some((a) => a.status === 503)).toBe(true);
      expect(ui.alive()).toBe(true);
    },
    60_000,
  );

  it('a server that hangs (frozen, TCP accepted, nothing answers): 503 within 5 s, then recovers', async () => {
    const load = traffic();
    try {
      await new Promise((resolve) => setTimeout(resolve, 500));
      cluster.freeze();
      try {
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        await expectOutageAnswers();
      } finally {
        cluster.thaw();
      }
      await expectRecoveryWithin5s();
    } finally {
      await load.stop();
    }
    expectCleanAnswers(load.answers);
    expect(ui.alive()).toBe(true);
  }, 90_000);

  it('never logged an unhandled error or crashed through it all', () => {
    expect(ui.alive()).toBe(true);
    expect(ui.output()).not.toContain('unhandled error');
    expect(ui.output()).not.toMatch(/"level":60/);
  });

  it('starts while PostgreSQL is down (health 200, ready 503) and serves once it is up', async () => {
    cluster.stop('fast');
    let second: UiProcess | null = null;
    try {
      second = await startUiProcess(root, env);
      const base = second.url;
      expect((await timedFetch(base, '/api/v1/health')).status).toBe(200);
      expect((await timedFetch(base, '/api/v1/ready')).status).toBe(503);
      const login = await signIn(base);
      expect({ status: login.status, code: login.json?.code }).toEqual({
        status: 503,
        code: 'database_unavailable',
      });
      cluster.start();
      const { answer } = await answerWithin(
        5_000,
        () => timedFetch(base, '/api/v1/ready'),
        (a) => a.status === 200,
      );
      expect(answer.status).toBe(200);
      const fresh = await sessionCookie(base);
      const runs = await timedFetch(base, '/api/v1/runs/15', { headers: { cookie: fresh } });
      expect(runs).toMatchObject({
        status: 200,
        json: { id: 15, run_id: '01a1fc6c-03a9-706a-8239-cbc659a19680' },
      });
      expect(second.alive()).toBe(true);
    } finally {
      if (!cluster.running) cluster.start();
      await second?.stop();
    }
  }, 60_000);
});
