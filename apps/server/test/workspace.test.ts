import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_TAP_AUTH0 } from '../../../test-fixtures/fixture-locations.mjs';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';
import { until } from './support/wait.js';

// Runs are started with the Meltano-CLI stand-in (test-fixtures/meltano-standin), not the real Meltano.
const STANDIN = fileURLToPath(
  new URL('../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url),
);

const call = async (app: TestApp, method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) => {
  const res = await app.server.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.json() };
};
const switchTo = (app: TestApp, environment: string | null) =>
  call(app, 'PUT', '/api/v1/project/active-environment', { environment });

/** tap-auth0's client_id and domain on a pipeline's Environment tab: value and source. */
async function auth0Row(app: TestApp, url: string) {
  const { status, body } = await call(app, 'GET', url);
  expect(status).toBe(200);
  const tap = body.plugins.find((p: { name: string }) => p.name === 'tap-auth0');
  const pick = (name: string) => {
    const s = tap.settings.find((x: { name: string }) => x.name === name);
    return s === undefined ? null : [s.value, s.source, s.redacted];
  };
  return { environment: body.environment, client_id: pick('client_id'), domain: pick('domain') };
}

describe.each(DIALECTS)('the active environment and the Environment tab (%s)', (dialect) => {
  let app: TestApp;
  let replica: TestApp;
  beforeAll(async () => {
    app = await startTestApp(dialect, { env: { MELTANO_UI_MELTANO_EXECUTABLE: STANDIN } });
    replica = await startTestApp(dialect, { replicaOf: app });
  });
  afterAll(async () => {
    await replica.cleanup();
    await app.cleanup();
  });

  it('starts at default_environment, switches for every replica, state IDs and runs follow it', async () => {
    expect((await call(app, 'GET', '/api/v1/project')).body).toMatchObject({
      active_environment: 'dev',
      active_environment_source: 'default_environment',
      active_environment_locked_reason: null,
    });
    const switched = await switchTo(app, 'prod');
    expect(switched).toMatchObject({
      status: 200,
      body: {
        active_environment: 'prod',
        active_environment_source: 'ui',
        active_environment_updated_by: null,
      },
    });
    expect((await call(app, 'GET', '/api/v1/jobs/demo-job')).body.state_ids).toEqual([
      'prod:tap-demo-to-target-demo',
    ]);
    // Another replica sees the switch within a couple of seconds (its cache lasts one).
    await until(
      'the replica to see prod',
      async () => {
        const { body } = await call(replica, 'GET', '/api/v1/project');
        return body.active_environment === 'prod' && body.active_environment_source === 'ui';
      },
      3000,
    );
    // The plugin pages resolve for it.
    const settings = (await call(replica, 'GET', '/api/v1/plugins/extractors/tap-demo/settings')).body;
    expect(settings.environment).toBe('prod');
    expect(settings.settings.find((s: { name: string }) => s.name === 'mode')).toMatchObject({
      value: 'ok-prod',
      source: 'meltano_environment',
    });
    // A run started here gets it (MELTANO_ENVIRONMENT for the stand-in, as for Meltano) and records its state ID.
    const launch = (await call(app, 'POST', '/api/v1/jobs/demo-job/run')).body;
    expect(launch.state_ids).toEqual(['prod:tap-demo-to-target-demo']);
    const run = await until('the run to end', async () => {
      const { body } = await call(app, 'GET', '/api/v1/runs?state_id=prod:tap-demo-to-target-demo&limit=1');
      const latest = body.items[0];
      return latest && latest.status !== 'running' ? latest : null;
    });
    expect(run).toMatchObject({ state_id: 'prod:tap-demo-to-target-demo', trigger: 'ui' });

    // "No environment" is a choice.
    expect((await switchTo(app, null)).body).toMatchObject({
      active_environment: null,
      active_environment_source: 'ui',
    });
    expect((await call(app, 'GET', '/api/v1/jobs/demo-job')).body.state_ids).toEqual([]);
    await switchTo(app, 'dev');
  });

  it('refuses an unknown environment and a body that is not one', async () => {
    expect(await switchTo(app, 'qa')).toMatchObject({ status: 404, body: { code: 'environment_not_found' } });
    const extra = await call(app, 'PUT', '/api/v1/project/active-environment', { environment: 'dev', x: 1 });
    expect(extra.status).toBe(400);
    const missing = await call(app, 'PUT', '/api/v1/project/active-environment', {});
    expect(missing.status).toBe(400);
  });

  it("shows the workspace guide's tap-auth0 table on the Environment tab, for the active environment and any other", async () => {
    fs.copyFileSync(path.join(WORKSPACE_TAP_AUTH0, 'meltano.yml'), path.join(app.root, 'meltano.yml'));
    for (const pipeline of ['schedules/auth0-daily', 'jobs/auth0-to-jsonl', 'schedules/auth0-elt']) {
      const url = `/api/v1/${pipeline}/environment`;
      expect(await auth0Row(app, url)).toEqual({
        environment: 'dev',
        client_id: ['39Pu9tTomnTv594VAFYnmRvkEpSlI7a6', 'meltano_environment', false],
        domain: ['matatika-staging.eu.auth0.com', 'meltano_yml', false],
      });
      expect(await auth0Row(app, `${url}?environment=staging`)).toEqual({
        environment: 'staging',
        client_id: ['4Zd5QXqHKNoKq4ySx8CP1UBm5eIUgh7t', 'meltano_environment', false],
        domain: ['matatika-staging.eu.auth0.com', 'meltano_yml', false],
      });
      expect(await auth0Row(app, `${url}?environment=prod`)).toEqual({
        environment: 'prod',
        client_id: ['u4kcVHKUD9lkbUbXA3eXCt88scStaqHM', 'meltano_environment', false],
        domain: ['matatika.eu.auth0.com', 'meltano_environment', false],
      });
    }
    // Switching the active environment changes the tab's default.
    await switchTo(app, 'prod');
    expect((await auth0Row(app, '/api/v1/jobs/auth0-to-jsonl/environment')).client_id?.[0]).toBe(
      'u4kcVHKUD9lkbUbXA3eXCt88scStaqHM',
    );
    const { body } = await call(app, 'GET', '/api/v1/jobs/auth0-to-jsonl/environment');
    expect(body).toMatchObject({
      pipeline: { kind: 'job', name: 'auth0-to-jsonl' },
      active_environment: 'prod',
      default_environment: 'prod',
      environments: ['dev', 'staging', 'prod'],
      unknown_blocks: [],
    });
    expect(body.plugins.map((p: { type: string; name: string }) => `${p.type}/${p.name}`)).toEqual([
      'extractors/tap-auth0',
      'loaders/target-jsonl',
    ]);
    await switchTo(app, 'dev');
    // No environment at all: only the base config.
    expect(await auth0Row(app, '/api/v1/jobs/auth0-to-jsonl/environment?no_environment=true')).toEqual({
      environment: null,
      // client_id is only ever set by an environment: with none, tap-auth0 has no such setting.
      client_id: null,
      domain: ['matatika-staging.eu.auth0.com', 'meltano_yml', false],
    });
    expect(
      (await call(app, 'GET', '/api/v1/jobs/auth0-to-jsonl/environment?no_environment=true&environment=dev'))
        .status,
    ).toBe(400);
    expect(await call(app, 'GET', '/api/v1/jobs/auth0-to-jsonl/environment?environment=qa')).toMatchObject({
      status: 404,
      body: { code: 'environment_not_found' },
    });
    expect(await call(app, 'GET', '/api/v1/jobs/nope/environment')).toMatchObject({
      status: 404,
      body: { code: 'job_not_found' },
    });
    expect(await call(app, 'GET', '/api/v1/schedules/nope/environment')).toMatchObject({
      status: 404,
      body: { code: 'schedule_not_found' },
    });
  });
});

describe('switching the active environment under the read-only rules and MELTANO_ENVIRONMENT', () => {
  it('is allowed under project_readonly (no project file changes), refused with 499 under ui.readonly', async () => {
    const projectReadonly = await startTestApp('sqlite', { env: { MELTANO_PROJECT_READONLY: 'true' } });
    try {
      const before = fs.readFileSync(path.join(projectReadonly.root, 'meltano.yml'), 'utf8');
      expect((await switchTo(projectReadonly, 'staging')).body).toMatchObject({
        active_environment: 'staging',
      });
      expect(fs.readFileSync(path.join(projectReadonly.root, 'meltano.yml'), 'utf8')).toBe(before);
    } finally {
      await projectReadonly.cleanup();
    }
    const readonly = await startTestApp('sqlite', { env: { MELTANO_UI_READONLY: 'true' } });
    try {
      expect(await switchTo(readonly, 'staging')).toMatchObject({
        status: 499,
        body: { code: 'Meltano UI is running in read-only mode' },
      });
    } finally {
      await readonly.cleanup();
    }
  });

  it('is locked, with the reason, while MELTANO_ENVIRONMENT is set in the process environment', async () => {
    const locked = await startTestApp('sqlite', { env: { MELTANO_ENVIRONMENT: 'staging' } });
    try {
      const project = (await call(locked, 'GET', '/api/v1/project')).body;
      expect(project).toMatchObject({
        active_environment: 'staging',
        active_environment_source: 'process_env',
      });
      expect(project.active_environment_locked_reason).toMatch(/MELTANO_ENVIRONMENT is set to 'staging'/);
      const refused = await switchTo(locked, 'prod');
      expect(refused).toMatchObject({ status: 423, body: { code: 'active_environment_locked' } });
      expect(refused.body.message).toMatch(/MELTANO_ENVIRONMENT/);
    } finally {
      await locked.cleanup();
    }
  });
});
