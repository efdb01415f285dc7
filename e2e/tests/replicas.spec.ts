import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type APIRequestContext, type APIResponse, expect, request, test } from '@playwright/test';
import { freePort, startLoadBalancer, type TlsProxy } from '../support/nginx';
import { createDatabase, type TestDatabase } from '../support/postgres-db';
import { copyProject, REAL_MELTANO, type RunningUi, STANDIN, startUi } from '../support/ui-server';

// Two `meltano ui` processes on one fresh PostgreSQL database and one project folder, behind nginx
// round-robin with no sticky sessions. Runs are made by the Meltano-CLI stand-in (test-fixtures/), not
// the real Meltano: in `hang` mode a run heartbeats and logs until it is cancelled.
const CLI = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../apps/cli/bin/meltano.js');
const AUTH_ENV = {
  MELTANO_UI_AUTHENTICATION: 'true',
  MELTANO_UI_SECRET_KEY: 'e2e0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1',
  MELTANO_UI_PASSWORD_SALT: 'e2e9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a9f8',
};
const ALICE = { username: 'alice', password: 'S3cret-pass' };

interface Replica {
  ui: RunningUi;
  port: number;
}

let db: TestDatabase;
let root: string;
let env: Record<string, string>;
let replicas: Replica[];
let lb: TlsProxy;
let api: APIRequestContext;
let cookie: string;
const launched: number[] = [];

/** The replica that answered: the last address nginx tried (earlier ones refused the connection). */
const upstream = (res: APIResponse | { headers(): Record<string, string> }) =>
  (res.headers()['x-upstream'] ?? '').split(', ').at(-1) ?? '';
const addressOf = (r: Replica) => `127.0.0.1:${r.port}`;

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Sends requests until the next one goes to the replica after `address` in the round-robin. */
async function nextGoesAfter(address: string) {
  await until(
    `a response from ${address}`,
    async () => upstream(await api.get('/api/v1/health')) === address,
  );
}

/** A run's RUNNING row, as listed through the proxy (whichever replica answers). */
async function runOf(launch: { run_id: string; state_ids: string[] }) {
  return until(`the run of ${launch.run_id}`, async () => {
    const res = await api.get(`/api/v1/runs?state_id=${launch.state_ids[0]}&status=running`);
    const items = (await res.json()).items as { id: number; run_id: string }[];
    return items.find((r) => r.run_id === launch.run_id);
  });
}

/**
 * Reads the run's live log (Server-Sent Events) through the proxy until a replica other than `not`
 * answers it and two `log` events came, the second one written after the stream opened.
 */
async function streamLogFrom(runId: number, not: string): Promise<{ from: string; events: string[] }> {
  for (let attempt = 0; attempt < 6; attempt++) {
    const result = await new Promise<{ from: string; events: string[] } | null>((resolve, reject) => {
      const req = https.get(
        {
          host: '127.0.0.1',
          port: lb.port,
          path: `/api/v1/runs/${runId}/log/stream`,
          headers: { host: `localhost:${lb.port}`, cookie, accept: 'text/event-stream' },
          rejectUnauthorized: false,
        },
        (res) => {
          const from = upstream({ headers: () => res.headers as Record<string, string> });
          if (res.statusCode !== 200) {
            res.destroy();
            reject(new Error(`the log stream answered ${res.statusCode}`));
            return;
          }
          if (from === not) {
            res.destroy();
            resolve(null);
            return;
          }
          let text = '';
          res.on('data', (chunk: Buffer) => {
            text += chunk.toString();
            const events = text.split('\n\n').filter((e) => /^event: log$/m.test(e));
            if (events.length >= 2) {
              res.destroy();
              resolve({ from, events });
            }
          });
        },
      );
      req.on('error', reject);
      const timer = setTimeout(() => req.destroy(new Error('no two log events within 15 s')), 15_000);
      req.on('close', () => clearTimeout(timer));
    });
    if (result) return result;
  }
  throw new Error(`the stream was never answered by a replica other than ${not}`);
}

test.use({ ignoreHTTPSErrors: true });
test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  db = createDatabase('meltano_ui_e2e_replicas');
  root = copyProject(path.join(REAL_MELTANO, 'v3.9.5', 'project'));
  env = {
    ...AUTH_ENV,
    MELTANO_DATABASE_URI: db.uri,
    MELTANO_UI_MELTANO_EXECUTABLE: STANDIN,
    STANDIN_MODE: 'hang',
    STANDIN_DELAY_MS: '200',
  };
  execFileSync(
    process.execPath,
    [CLI, 'user', 'add', ALICE.username, ALICE.password, '-G', 'admin', '--project-root', root],
    { env: { ...process.env, ...env }, stdio: 'pipe' },
  );
  const ports = [await freePort(), await freePort()];
  replicas = await Promise.all(ports.map(async (port) => ({ ui: await startUi(root, env, { port }), port })));
  lb = await startLoadBalancer(replicas.map((r) => r.ui.url));
});

test.afterAll(async () => {
  // Runs still going (a test failed before cancelling them) are stopped with their process group.
  for (const pid of launched) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await api?.dispose();
  await lb?.stop();
  await Promise.all((replicas ?? []).map((r) => r.ui.stop()));
  db?.drop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

test('signed in once, requests alternate between the replicas and stay signed in', async ({ page }) => {
  await page.goto(`${lb.url}/runs`);
  await page.getByLabel('User name or email').fill(ALICE.username);
  await page.getByLabel('Password').fill(ALICE.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Runs' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'alice' })).toBeVisible();

  const state = await page.context().storageState();
  const session = state.cookies.find((c) => c.name === '__Host-meltano_ui_session');
  expect(session).toBeDefined();
  cookie = `${session?.name}=${session?.value}`;
  api = await request.newContext({
    baseURL: lb.url,
    ignoreHTTPSErrors: true,
    storageState: state,
    extraHTTPHeaders: { 'x-requested-with': 'e2e' },
  });
  const answered: string[] = [];
  for (let i = 0; i < 6; i++) {
    const res = await api.get('/api/v1/identity');
    expect(res.status()).toBe(200);
    expect((await res.json()).user.username).toBe('alice');
    answered.push(upstream(res));
  }
  // Round-robin without affinity: both replicas answered, in turn.
  expect(new Set(answered)).toEqual(new Set(replicas.map(addressOf)));
  expect(answered[0]).not.toBe(answered[1]);
  // The page keeps working whichever replica serves its requests.
  await page.getByRole('link', { name: 'Pipelines' }).click();
  await expect(page.getByRole('heading', { name: 'Pipelines' })).toBeVisible();
});

let daily: { id: string; run_id: string; state_ids: string[]; pid: number; replica_id: string };
let dailyRun: number;
let dailyOwner: string;

test('a run started through one replica is running on the other within 2 s, and its log streams from it', async () => {
  const started = await api.post('/api/v1/schedules/daily-demo/run');
  expect(started.status()).toBe(202);
  const at = Date.now();
  daily = await started.json();
  launched.push(daily.pid);
  dailyOwner = upstream(started);
  const other = replicas.map(addressOf).find((a) => a !== dailyOwner) as string;
  const seen = await until(
    'the other replica to list the run as running',
    async () => {
      const res = await api.get('/api/v1/runs?state_id=daily-demo&status=running');
      if (upstream(res) !== other) return null;
      return ((await res.json()).items as { id: number; run_id: string }[]).find(
        (r) => r.run_id === daily.run_id,
      );
    },
    2000,
  );
  expect(Date.now() - at).toBeLessThan(2000);
  dailyRun = seen.id;
  const stream = await streamLogFrom(dailyRun, dailyOwner);
  expect(stream.from).toBe(other);
  expect(stream.events.join('\n')).toMatch(/tap-demo/);
});

let cron: { id: string; run_id: string; state_ids: string[]; pid: number };
let cronOwner: string;

test('two simultaneous Run now, one per replica: exactly one starts, the other gets 409', async () => {
  const both = await Promise.all([
    api.post('/api/v1/schedules/cron-demo/run'),
    api.post('/api/v1/schedules/cron-demo/run'),
  ]);
  expect(new Set(both.map(upstream)).size).toBe(2);
  expect(both.map((r) => r.status()).sort()).toEqual([202, 409]);
  const refused = both.find((r) => r.status() === 409) as APIResponse;
  expect((await refused.json()).code).toMatch(/^pipeline_(starting|running)$/);
  const winner = both.find((r) => r.status() === 202) as APIResponse;
  cron = await winner.json();
  launched.push(cron.pid);
  cronOwner = upstream(winner);
});

test('cancel through the replica that did not launch the run: the launching one stops it within 2 s', async () => {
  const run = await runOf(cron);
  await nextGoesAfter(cronOwner);
  const asked = Date.now();
  const res = await api.post(`/api/v1/runs/${run.id}/cancel`);
  expect(res.status()).toBe(202);
  expect(upstream(res)).not.toBe(cronOwner);
  const body = await res.json();
  expect(body.cancel).toMatchObject({ handled_by: 'owner_replica', adopted: false });
  expect(body.cancel.message).toMatch(/was asked to stop it/);
  expect(body.cancel_requested_by).toBe('alice');

  const ended = await until(
    'the run to end as cancelled',
    async () => {
      const r = await (await api.get(`/api/v1/runs/${run.id}`)).json();
      return r.status === 'failed' ? r : null;
    },
    5000,
  );
  expect(ended.error).toBe('The process was terminated');
  expect(ended.cancel_request).toMatchObject({ requested_by: 'alice', launch_id: cron.id });
  // The owner acted (sent SIGTERM) within 2 s of the request.
  expect(
    Date.parse(ended.cancel_request.acted_at) - Date.parse(ended.cancel_request.requested_at),
  ).toBeLessThan(2000);
  expect(Date.parse(ended.cancel_request.acted_at) - asked).toBeLessThan(2000);
});

test('sign-in attempts are counted in the database: replicas do not multiply the allowance', async () => {
  const anonymous = await request.newContext({
    baseURL: lb.url,
    ignoreHTTPSErrors: true,
    extraHTTPHeaders: { 'x-requested-with': 'e2e' },
  });
  try {
    const attempts: { status: number; from: string }[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await anonymous.post('/api/v1/auth/login', {
        data: { username: 'mallory', password: `guess-${i}` },
      });
      attempts.push({ status: res.status(), from: upstream(res) });
    }
    // 5 per user name per minute in all, not 5 per replica: the sixth is refused, on either replica.
    expect(attempts.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429]);
    expect(new Set(attempts.map((a) => a.from)).size).toBe(2);
  } finally {
    await anonymous.dispose();
  }
});

test('concurrent edits through both replicas: If-Match lets one win, the other 409, and nothing is lost', async () => {
  const version = async (name: string) =>
    (await (await api.get(`/api/v1/schedules/${name}`)).json()).version as string;
  const failing = await version('failing-demo');
  const same = await Promise.all([
    api.patch('/api/v1/schedules/failing-demo', {
      data: { interval: '@weekly' },
      headers: { 'if-match': failing },
    }),
    api.patch('/api/v1/schedules/failing-demo', {
      data: { interval: '0 3 * * *' },
      headers: { 'if-match': failing },
    }),
  ]);
  expect(new Set(same.map(upstream)).size).toBe(2);
  expect(same.map((r) => r.status()).sort()).toEqual([200, 409]);
  const won = (same[0]?.status() === 200 ? '@weekly' : '0 3 * * *') as string;

  // Two different schedules edited at once through the two replicas: both edits land in meltano.yml.
  const [f, j] = [await version('failing-demo'), await version('demo-job-schedule')];
  const different = await Promise.all([
    api.patch('/api/v1/schedules/failing-demo', {
      data: { interval: '@monthly' },
      headers: { 'if-match': f },
    }),
    api.patch('/api/v1/schedules/demo-job-schedule', {
      data: { interval: '@yearly' },
      headers: { 'if-match': j },
    }),
  ]);
  expect(different.map((r) => r.status())).toEqual([200, 200]);
  expect(new Set(different.map(upstream)).size).toBe(2);
  const yml = fs.readFileSync(path.join(root, 'meltano.yml'), 'utf8');
  expect(yml).toMatch(/- name: failing-demo\n {2}interval: '?@monthly'?/);
  expect(yml).toMatch(/- name: demo-job-schedule\n {2}interval: '?@yearly'?/);
  expect(won).not.toBe('');
});

test('a replica killed with SIGKILL mid-run: the run goes on, the other shows it and its log, the restarted one takes it back', async () => {
  const owner = replicas.find((r) => addressOf(r) === dailyOwner) as Replica;
  const survivor = replicas.find((r) => r !== owner) as Replica;
  await owner.ui.kill('SIGKILL');
  // The run is detached: it outlives the server that launched it.
  expect(() => process.kill(daily.pid, 0)).not.toThrow();

  const logSize = async () => {
    const res = await api.get(`/api/v1/runs/${dailyRun}/log?tail=5`);
    expect(upstream(res)).toBe(addressOf(survivor));
    return (await res.json()).size as number;
  };
  const run = await api.get(`/api/v1/runs/${dailyRun}`);
  expect(upstream(run)).toBe(addressOf(survivor));
  expect((await run.json()).status).toBe('running');
  const before = await logSize();
  await until('the log to grow', async () => (await logSize()) > before, 5000);

  // The killed replica comes back on its port; the run is taken over by a live replica on this host.
  owner.ui = await startUi(root, env, { port: owner.port });
  const launch = await until('the run to be taken over', async () => {
    const l = await (await api.get(`/api/v1/launches/${daily.id}`)).json();
    return l.replica_id !== daily.replica_id ? l : null;
  });
  expect(launch).toMatchObject({ status: 'running', pid: daily.pid });

  // It can be cancelled (through either replica) and its end is recorded.
  const cancel = await api.post(`/api/v1/runs/${dailyRun}/cancel`);
  expect(cancel.status()).toBe(202);
  const ended = await until(
    'the taken-over run to end',
    async () => {
      const l = await (await api.get(`/api/v1/launches/${daily.id}`)).json();
      return l.status === 'exited' ? l : null;
    },
    8000,
  );
  expect(ended.exit_code).toBe(143);
  expect((await (await api.get(`/api/v1/runs/${dailyRun}`)).json()).status).toBe('failed');
});
