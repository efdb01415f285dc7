import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OLD_LOG_MAX_BYTES } from '../src/routes/compat/orchestrations.js';
import { copyWritable, REAL_MELTANO, TEST_SECRETS } from './support/test-app.js';
import { until } from './support/wait.js';

// A script written against the old Meltano UI's API, as teams wrote them for `meltano ui`: plain HTTP
// (Node's fetch, no browser headers, no X-Requested-With) to the built app started as users start it
// (`apps/cli/bin/meltano.js ui`, the bundle in apps/cli/dist: run `pnpm build` first), on the v2.20.0
// fixture's SQLite system DB. Runs are made by the Meltano-CLI stand-in (test-fixtures/meltano-standin),
// not the real Meltano.
const repo = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = path.join(repo, 'apps/cli/bin/meltano.js');
const STANDIN = path.join(repo, 'test-fixtures/meltano-standin/bin/meltano.mjs');
const LEGACY_SALT = 'fixture-salt-7f3a9c';

interface Ui {
  url: string;
  root: string;
  stop(): Promise<void>;
}

async function startUi(env: Record<string, string>): Promise<Ui> {
  const root = copyWritable(path.join(REAL_MELTANO, 'v2.20.0', 'project'));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'compat-script-home-'));
  const child: ChildProcess = spawn(
    process.execPath,
    [CLI, 'ui', '--project-root', root, '--bind', '127.0.0.1', '--bind-port', '0'],
    {
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        ...TEST_SECRETS,
        // The fixture's .env names a server; the script calls 127.0.0.1.
        MELTANO_UI_SERVER_NAME: '',
        MELTANO_HUB_URL: 'http://127.0.0.1:9',
        MELTANO_UI_MELTANO_EXECUTABLE: STANDIN,
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`UI did not start:\n${output}`)), 60_000);
    const read = (d: Buffer) => {
      output += d.toString();
      const m = /running at (http:\/\/\S+?)\/? /.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.on('exit', (code) => reject(new Error(`UI exited with ${code}:\n${output}`)));
  });
  return {
    url,
    root,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    },
  };
}

/** A `requests`-like client: JSON in, status and parsed JSON (or text) out; no browser headers. */
function client(base: string, headers: Record<string, string> = {}) {
  return async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}/api/v1${url}`, {
      method,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
    // biome-ignore lint/suspicious/noExplicitAny: a script reads whatever the JSON holds.
    return { status: res.status, json: json as any, text, type: res.headers.get('content-type') ?? '' };
  };
}

describe.each(['camel', 'snake'] as const)('a script against the old UI API, X-JSON-SCHEME %s', (scheme) => {
  let ui: Ui;
  beforeAll(async () => {
    ui = await startUi({});
  }, 90_000);
  afterAll(() => ui.stop());

  const k = (snake: string) =>
    scheme === 'camel' ? snake.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase()) : snake;

  it('plugins, schedule, run, state, log (2 MiB boundary), download, update, delete, subscriptions, config', async () => {
    const call = client(ui.url, { 'x-json-scheme': scheme });
    const all = await call('GET', '/plugins/all');
    expect(all.status).toBe(200);
    expect(all.json.extractors.length).toBeGreaterThan(0);
    expect(all.json.extractors[0]).toHaveProperty(k('logo_url'));

    const added = await call('POST', '/plugins/add', {
      [k('plugin_type')]: 'extractors',
      name: 'tap-gitlab',
    });
    expect(added.status, added.text).toBe(200);
    expect(added.json).toMatchObject({
      name: 'tap-gitlab',
      variant: expect.any(String),
      [k('pip_url')]: expect.any(String),
    });

    const schedule = {
      name: 'Script Pipeline',
      extractor: 'tap-demo',
      loader: 'target-demo',
      transform: 'skip',
      interval: '@daily',
    };
    const created = await call('POST', '/orchestrations/pipeline-schedules', schedule);
    expect(created.status, created.text).toBe(201);
    expect(created.json).toMatchObject({
      name: 'script-pipeline',
      [k('start_date')]: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    const duplicate = await call('POST', '/orchestrations/pipeline-schedules', schedule);
    expect(duplicate.status).toBe(409);
    expect(duplicate.json.code).toBe(
      "A pipeline with the name 'script-pipeline' already exists. Try renaming the pipeline.",
    );

    const run = await call('POST', '/orchestrations/run', { name: 'script-pipeline' });
    expect(run.status, run.text).toBe(202);
    expect(run.json).toEqual({ [k('state_id')]: 'script-pipeline' });
    const job = await until(
      'the run to end',
      async () => {
        const state = await call('POST', '/orchestrations/jobs/state', {
          [k('state_ids')]: ['script-pipeline'],
        });
        expect(state.status).toBe(200);
        const first = state.json.jobs[0];
        return first?.[k('is_complete')] ? first : null;
      },
      30_000,
    );
    expect(job).toEqual({
      [k('state_id')]: 'script-pipeline',
      [k('is_complete')]: true,
      [k('has_error')]: false,
      [k('started_at')]: expect.stringMatching(/ GMT$/),
      [k('ended_at')]: expect.stringMatching(/ GMT$/),
      [k('has_ever_succeeded')]: true,
    });

    const log = await call('GET', '/orchestrations/jobs/script-pipeline/log');
    expect(log.status).toBe(200);
    expect(log.json).toMatchObject({ [k('has_log_exceeded_max_size')]: false, trigger: 'ui' });
    const download = await fetch(`${ui.url}/api/v1/orchestrations/jobs/script-pipeline/download`);
    expect(download.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(await download.text()).toBe(log.json.log);
    // The 2 MiB rule at its exact byte boundary.
    const dir = path.join(ui.root, '.meltano', 'logs', 'elt', 'script-pipeline');
    const file = path.join(dir, fs.readdirSync(dir)[0] as string, 'elt.log');
    fs.writeFileSync(file, 'é'.repeat(OLD_LOG_MAX_BYTES / 2));
    const atLimit = await call('GET', '/orchestrations/jobs/script-pipeline/log');
    expect(atLimit.json[k('has_log_exceeded_max_size')]).toBe(false);
    expect(atLimit.json.log).toHaveLength(OLD_LOG_MAX_BYTES / 2);
    fs.appendFileSync(file, '!');
    const over = await call('GET', '/orchestrations/jobs/script-pipeline/log');
    expect(over.json).toMatchObject({ log: null, [k('has_log_exceeded_max_size')]: true });
    const whole = await fetch(`${ui.url}/api/v1/orchestrations/jobs/script-pipeline/download`);
    expect((await whole.arrayBuffer()).byteLength).toBe(OLD_LOG_MAX_BYTES + 1);
    const missing = await call('GET', '/orchestrations/jobs/never-ran/log');
    expect(missing.status).toBe(404);
    expect(missing.json.error).toBe(true);

    const listed = await call('GET', '/orchestrations/pipeline-schedules');
    expect(listed.json.find((s: { name: string }) => s.name === 'script-pipeline')).toMatchObject({
      [k('state_id')]: 'script-pipeline',
      [k('is_running')]: false,
      [k('has_ever_succeeded')]: true,
    });
    const updated = await call('PUT', '/orchestrations/pipeline-schedules', {
      name: 'script-pipeline',
      interval: '@hourly',
    });
    expect(updated.status, updated.text).toBe(201);
    expect(updated.json.interval).toBe('@hourly');

    const sub = {
      recipient: 'ops@example.com',
      [k('event_type')]: 'pipeline_manual_run',
      [k('source_type')]: 'pipeline',
      [k('source_id')]: 'script-pipeline',
    };
    const subscribed = await call('POST', '/orchestrations/subscriptions', sub);
    expect(subscribed.status, subscribed.text).toBe(201);
    expect(subscribed.json[k('created_at')]).toMatch(/ -0000$/);
    expect((await call('POST', '/orchestrations/subscriptions', sub)).status).toBe(409);
    expect((await call('GET', '/orchestrations/subscriptions')).json).toHaveLength(1);
    expect((await call('DELETE', `/orchestrations/subscriptions/${subscribed.json.id}`)).status).toBe(204);

    const configUrl = '/orchestrations/extractors/tap-demo/configuration';
    const config = await call('GET', configUrl);
    expect(config.status).toBe(200);
    expect(config.json.config.api_key).toBe('(redacted)');
    expect(config.json[k('config_metadata')].api_key).toMatchObject({ source: 'dotenv', redacted: true });
    const put = await call('PUT', configUrl, { config: { api_key: 's3cr3t-from-script' } });
    expect(put.status, put.text).toBe(200);
    expect(put.text).not.toContain('s3cr3t-from-script');
    expect(fs.readFileSync(path.join(ui.root, '.env'), 'utf8')).toContain('s3cr3t-from-script');
    const tested = await call('POST', `${configUrl}/test`, {});
    expect(tested.json).toEqual({ [k('is_success')]: true });

    const deleted = await call('DELETE', '/orchestrations/pipeline-schedules', { name: 'script-pipeline' });
    expect(deleted.status).toBe(201);
    expect(deleted.json).toBe('script-pipeline');
    const gone = await call('DELETE', '/orchestrations/pipeline-schedules', { name: 'script-pipeline' });
    expect(gone.status).toBe(404);
    expect(gone.json.code).toBe("A pipeline with the name 'script-pipeline' does not exist..");
  }, 120_000);
});

describe('a script against the old UI API: authentication, roles, read-only modes', () => {
  it('401s without sign-in; ACL as admin (API token) and as a regular user', async () => {
    const ui = await startUi({
      MELTANO_UI_AUTHENTICATION: 'true',
      MELTANO_UI_LEGACY_PASSWORD_SALT: LEGACY_SALT,
    });
    try {
      const anonymous = client(ui.url);
      for (const [method, url] of [
        ['GET', '/plugins/all'],
        ['GET', '/orchestrations/pipeline-schedules'],
        ['GET', '/settings/acl'],
        ['POST', '/plugins/add'],
      ] as const) {
        const res = await anonymous(
          method,
          url,
          method === 'POST' ? { plugin_type: 'extractors', name: 'tap-gitlab' } : undefined,
        );
        expect(res.status, url).toBe(401);
        expect(res.text).toBe('Authentication is required to access this resource.');
      }
      const tokenOf = async (username: string, password: string) => {
        const login = await fetch(`${ui.url}/api/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username, password }),
        });
        expect(login.status).toBe(200);
        const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
        // Signed-in calls with the cookie are a browser's: they carry the header the SPA sends.
        const made = await fetch(`${ui.url}/api/v1/account/tokens`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie, 'x-requested-with': 'script' },
          body: JSON.stringify({ name: 'script' }),
        });
        expect(made.status).toBe(201);
        return ((await made.json()) as { token: string }).token;
      };
      const admin = client(ui.url, {
        authorization: `Bearer ${await tokenOf('alice', 'S3cret-pass')}`,
        'x-json-scheme': 'camel',
      });
      const acl = await admin('GET', '/settings/acl');
      expect(acl.status).toBe(200);
      expect(acl.json.users).toContainEqual({
        username: 'alice',
        active: true,
        confirmedAt: null,
        roles: ['admin'],
      });
      const role = await admin('POST', '/settings/acl/roles', { role: { name: 'analysts' }, user: 'bob' });
      expect(role.status, role.text).toBe(201);
      expect(role.json).toEqual({ name: 'analysts', description: null, permissions: [] });
      const regular = client(ui.url, { authorization: `Bearer ${await tokenOf('bob', 'other-pass')}` });
      const refused = await regular('GET', '/settings/acl');
      expect(refused.status).toBe(403);
      expect(refused.json).toEqual({ users: null, roles: null, permissions: null });
      const refusedWrite = await regular('POST', '/settings/acl/roles', { role: { name: 'x' } });
      expect(refusedWrite.status).toBe(403);
      expect(refusedWrite.json).toBe('You do not have the required permissions.');
      // A regular user may do everything else, as in Meltano.
      expect(
        (await regular('POST', '/plugins/add', { plugin_type: 'extractors', name: 'tap-gitlab' })).status,
      ).toBe(200);
      // The old Authentication-Token header is not supported.
      expect(
        (await client(ui.url, { 'authentication-token': 'anything' })('GET', '/plugins/all')).status,
      ).toBe(401);
    } finally {
      await ui.stop();
    }
  }, 120_000);

  it('ui.readonly and project_readonly refusals: 499 with the old bodies', async () => {
    const readonly = await startUi({ MELTANO_UI_READONLY: 'true' });
    const projectReadonly = await startUi({ MELTANO_PROJECT_READONLY: 'true' });
    try {
      const add = { plugin_type: 'extractors', name: 'tap-gitlab' };
      const ro = await client(readonly.url)('POST', '/plugins/add', add);
      expect(ro.status).toBe(499);
      expect(ro.json).toEqual({ error: true, code: 'Meltano UI is running in read-only mode' });
      expect((await client(readonly.url)('GET', '/plugins/all')).status).toBe(200);
      const pro = await client(projectReadonly.url)('POST', '/plugins/add', add);
      expect(pro.status).toBe(499);
      expect(pro.json).toEqual({ error: true, code: 'This Meltano project is deployed as read-only' });
      // Settings go to the system database under project_readonly, as in the old UI.
      const put = await client(projectReadonly.url)(
        'PUT',
        '/orchestrations/extractors/tap-demo/configuration',
        {
          config: { sleep_seconds: 7 },
        },
      );
      expect(put.status, put.text).toBe(200);
      expect(put.json.config.sleep_seconds).toBe(7);
      expect(put.json.config_metadata.sleep_seconds.source).toBe('db');
    } finally {
      await readonly.stop();
      await projectReadonly.stop();
    }
  }, 120_000);
});
