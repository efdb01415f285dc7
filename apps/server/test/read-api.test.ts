import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

// An hour after run 15's last heartbeat (2026-11-21 04:45:06.876121): it is presumed dead.
const NOW = new Date('2026-11-21T05:45:06.876Z');

describe.each(DIALECTS)('read API on the real Meltano 3.9.5 project (%s)', (dialect) => {
  let app: TestApp;
  const get = async (url: string) => {
    const res = await app.server.inject({ method: 'GET', url });
    return { status: res.statusCode, body: res.json(), headers: res.headers };
  };

  beforeAll(async () => {
    app = await startTestApp(dialect, { now: NOW });
  });
  afterAll(() => app.cleanup());

  it('describes the project', async () => {
    const { status, body } = await get('/api/v1/project');
    expect(status).toBe(200);
    expect(body).toMatchObject({
      project_id: '01a1fc63-6892-70f4-8e5a-bda94df41782',
      default_environment: 'dev',
      active_environment: 'dev',
      counts: { plugins: 4, schedules: 4, jobs: 2, environments: 3 },
      readonly: false,
      project_readonly: false,
      authentication: false,
      load_error: null,
      database: { kind: dialect },
    });
    expect(body.environments.map((e: { name: string }) => e.name)).toEqual(['dev', 'staging', 'prod']);
    expect(body.environments[2].plugin_overrides).toEqual([
      {
        type: 'extractors',
        name: 'tap-demo',
        config: { mode: 'ok-prod' },
        env: {},
        env_references: [],
        extras: {},
      },
    ]);
  });

  it('lists every schedule with its latest run, state IDs, interval and history', async () => {
    const { status, body } = await get('/api/v1/schedules');
    expect(status).toBe(200);
    const byName = Object.fromEntries(body.schedules.map((s: { name: string }) => [s.name, s]));
    expect(Object.keys(byName)).toEqual(['daily-demo', 'failing-demo', 'demo-job-schedule', 'cron-demo']);

    expect(byName['daily-demo']).toMatchObject({
      kind: 'elt',
      extractor: 'tap-demo',
      loader: 'target-demo',
      transform: 'skip',
      interval: '@daily',
      cron: '0 0 * * *',
      next_run_at: '2026-11-22T00:00:00.000Z',
      state_ids: ['daily-demo'],
      latest_run: {
        id: 8,
        status: 'success',
        started_at: '2026-11-21T04:36:43.835325Z',
        ended_at: '2026-11-21T04:36:44.103301Z',
        run_id: '01a1fc64-72b2-7906-8379-1e4a31b1c9a7',
        trigger: 'cli',
      },
      totals: { total: 1, succeeded: 1, failed: 0, success_rate: 1 },
      problem: null,
    });
    expect(byName['failing-demo'].latest_run).toMatchObject({
      id: 9,
      status: 'failed',
      trigger: 'scheduler',
    });
    expect(byName['failing-demo'].latest_run.error).toContain('Extractor failed');
    expect(byName['cron-demo']).toMatchObject({
      cron: '*/15 * * * *',
      next_run_at: '2026-11-21T06:00:00.000Z',
    });
    expect(byName['cron-demo'].interval_description).toMatch(/every 15 minutes/i);

    // A job schedule records `env:tap-to-target` state IDs; runs 4, 5 and 10 share this one.
    expect(byName['demo-job-schedule']).toMatchObject({
      kind: 'job',
      job: 'demo-job',
      tasks: [['tap-demo', 'target-demo']],
      environment: 'dev',
      state_ids: ['dev:tap-demo-to-target-demo'],
      latest_run: { id: 10, status: 'success' },
      totals: { total: 3, succeeded: 3, failed: 0, success_rate: 1 },
    });
    expect(byName['demo-job-schedule'].recent_runs.map((r: { id: number }) => r.id)).toEqual([10, 5, 4]);
  });

  it('lists jobs with the state IDs of every task', async () => {
    const { body } = await get('/api/v1/jobs');
    const multi = body.jobs.find((j: { name: string }) => j.name === 'multi-job');
    expect(multi).toMatchObject({
      state_ids: ['dev:tap-demo-to-target-demo', 'dev:tap-demo-fail-to-target-demo'],
      schedules: [],
      latest_run: { id: 10 },
      totals: { total: 4, succeeded: 3, failed: 1, success_rate: 0.75 },
    });
    const demo = body.jobs.find((j: { name: string }) => j.name === 'demo-job');
    expect(demo.schedules).toEqual(['demo-job-schedule']);
  });

  it('lists state IDs that no schedule names', async () => {
    const { body } = await get('/api/v1/state');
    const byId = Object.fromEntries(body.state_ids.map((s: { state_id: string }) => [s.state_id, s]));
    expect(byId['manual-ok']).toMatchObject({ run_count: 2, schedules: [], jobs: [], latest_run: { id: 2 } });
    expect(byId['daily-demo'].schedules).toEqual(['daily-demo']);
    expect(byId['manual-edit']).toBeUndefined(); // only STATE_EDIT rows: not a run
    const state = await get('/api/v1/state/manual-ok');
    expect(state.status).toBe(200);
    expect(state.body.merged).toEqual({
      singer_state: { bookmarks: { orders: { last_id: 7 }, users: { last_id: 6 } } },
    });
  });

  it('returns run history newest first without STATE_EDIT rows, with stale runs marked', async () => {
    const { status, body } = await get('/api/v1/runs?limit=500');
    expect(status).toBe(200);
    expect(body.items.map((r: { id: number }) => r.id)).toEqual([15, 14, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(body.next_cursor).toBeNull();
    expect(body.items[0]).toMatchObject({
      id: 15,
      state_id: 'dev:tap-demo-slow-to-target-demo',
      status: 'stale',
      meltano_state: 'RUNNING',
      ended_at: null,
      last_heartbeat_at: '2026-11-21T04:45:06.876121Z',
      duration_seconds: null,
    });
    expect(body.items[0].heartbeat_age_seconds).toBeCloseTo(3600, 0);
    expect(body.items[1]).toMatchObject({ id: 14, status: 'failed' });
    expect(body.items[1].error).toMatch(/No heartbeat recorded for 5 minutes/);
  });

  it('pages with a cursor and filters by state ID, status, trigger and time', async () => {
    const seen: number[] = [];
    let cursor: string | null = null;
    do {
      const page: { body: { items: { id: number }[]; next_cursor: string | null } } = await get(
        `/api/v1/runs?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      seen.push(...page.body.items.map((r) => r.id));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual([15, 14, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);

    const ids = async (query: string) =>
      (await get(`/api/v1/runs?${query}`)).body.items.map((r: { id: number }) => r.id);
    expect(await ids('state_id=manual-ok')).toEqual([2, 1]);
    expect(await ids('state_id=manual-ok&state_id=cron-demo')).toEqual([11, 2, 1]);
    expect(await ids('status=stale')).toEqual([15]);
    expect(await ids('status=running')).toEqual([]);
    expect(await ids('status=failed')).toEqual([14, 9, 6, 3]);
    expect(await ids('trigger=scheduler')).toEqual([9]);
    expect(await ids('since=2026-11-21T04:36:50Z&until=2026-11-21T04:40:00Z')).toEqual([14, 11, 10]);
  });

  it('answers 400 for bad filters and 404 for unknown runs', async () => {
    for (const url of [
      '/api/v1/runs?status=exploded',
      '/api/v1/runs?cursor=%%%',
      '/api/v1/runs?limit=0',
      '/api/v1/runs?since=yesterday',
      '/api/v1/runs/abc',
      '/api/v1/runs/-1',
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(400);
      expect(res.body).toMatchObject({ error: true });
      expect(typeof res.body.code).toBe('string');
    }
    const missing = await get('/api/v1/runs/99999');
    expect(missing).toMatchObject({ status: 404, body: { code: 'run_not_found' } });
    const edit = await get('/api/v1/runs/12');
    expect(edit.status).toBe(404);
  });

  it('shows plugins with inheritance resolved and secrets marked', async () => {
    const { body } = await get('/api/v1/plugins');
    const names = body.plugins.extractors.map((p: { name: string }) => p.name);
    expect(names).toEqual(['tap-demo', 'tap-demo-fail', 'tap-demo-slow']);
    const fail = body.plugins.extractors[1];
    expect(fail).toMatchObject({ inherit_from: 'tap-demo', parent: 'tap-demo', config: { mode: 'fail' } });
    expect(fail.settings.find((s: { name: string }) => s.name === 'api_key')).toMatchObject({
      sensitive: true,
    });
    const one = await get('/api/v1/plugins/loaders/target-demo');
    expect(one.body).toMatchObject({ name: 'target-demo', config: { output_dir: 'output' } });
    expect((await get('/api/v1/plugins/loaders/nope')).status).toBe(404);
  });

  it('resolves every plugin setting with its source, secrets redacted', async () => {
    const setting = async (type: string, name: string, key: string, query = '') => {
      const { status, body } = await get(`/api/v1/plugins/${type}/${name}/settings${query}`);
      expect(status).toBe(200);
      expect(JSON.stringify(body)).not.toMatch(/sk-db-456|sk-demo-123/);
      return body.settings.find((s: { name: string }) => s.name === key);
    };
    expect(await setting('extractors', 'tap-demo-fail', 'api_key')).toMatchObject({
      source: 'db',
      value: '(redacted)',
      is_set: true,
      sensitive: true,
      env_vars: expect.arrayContaining(['TAP_DEMO_FAIL_API_KEY']),
    });
    expect(await setting('extractors', 'tap-demo', 'api_key')).toMatchObject({
      source: 'dotenv',
      env_var: 'TAP_DEMO_API_KEY',
      value: '(redacted)',
    });
    expect(await setting('loaders', 'target-demo', 'output_dir')).toMatchObject({
      source: 'meltano_yml',
      value: 'output',
    });
    expect(await setting('extractors', 'tap-demo', 'mode', '?environment=prod')).toMatchObject({
      source: 'meltano_environment',
      value: 'ok-prod',
    });
    expect((await get('/api/v1/plugins/extractors/tap-demo/settings?environment=nope')).status).toBe(404);
    expect((await get('/api/v1/plugins/extractors/nope/settings')).status).toBe(404);
  });

  it('serves an OpenAPI document describing every route', async () => {
    const { status, body } = await get('/api/v1/openapi.json');
    expect(status).toBe(200);
    expect(Object.keys(body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/health',
        '/api/v1/ready',
        '/api/v1/project',
        '/api/v1/plugins',
        '/api/v1/schedules',
        '/api/v1/schedules/{name}',
        '/api/v1/jobs',
        '/api/v1/runs',
        '/api/v1/runs/{id}',
        '/api/v1/runs/{id}/log',
        '/api/v1/runs/{id}/log/stream',
        '/api/v1/runs/{id}/log/download',
      ]),
    );
    const docs = await app.server.inject({ method: 'GET', url: '/api/v1/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toContain('text/html');
  });
});
