import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openCoreContext } from '@meltano-ui/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server.js';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';
import { alive, until } from './support/wait.js';

// Pipelines are run by the Meltano-CLI stand-in (test-fixtures/meltano-standin), not the real Meltano.
const STANDIN = fileURLToPath(
  new URL('../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url),
);

interface Launch {
  id: string;
  status: string;
  argv: string[];
  pid: number | null;
  exit_code: number | null;
  run_id: string;
  state_ids: string[];
  cancel_requested_at: string | null;
  created_at: string;
}

describe.each(DIALECTS)('running pipelines (%s)', (dialect) => {
  let app: TestApp;
  const call = async (method: 'GET' | 'POST', url: string) => {
    const res = await app.server.inject({ method, url });
    return { status: res.statusCode, body: res.json() };
  };
  const runOf = (launch: Launch) =>
    until(`the run of launch ${launch.id}`, async () => {
      const { body } = await call(
        'GET',
        `/api/v1/runs?limit=5&${launch.state_ids.map((s) => `state_id=${encodeURIComponent(s)}`).join('&')}`,
      );
      return (
        body.items as { id: number; run_id: string; status: string; trigger: string; error: string | null }[]
      ).find((r) => r.run_id === launch.run_id);
    });
  const finished = (runId: number) =>
    until(`run ${runId} to finish`, async () => {
      const { body } = await call('GET', `/api/v1/runs/${runId}`);
      return body.status === 'success' || body.status === 'failed' ? body : null;
    });

  beforeAll(async () => {
    app = await startTestApp(dialect, {
      env: { MELTANO_UI_MELTANO_EXECUTABLE: STANDIN, STANDIN_DELAY_MS: '20' },
      launcher: { cancelGraceMs: 3000 },
    });
  });
  afterAll(() => app.cleanup());

  it('runs a schedule with Meltano’s argv and MELTANO_JOB_TRIGGER=ui, and links the run to its launch', async () => {
    const { status, body } = await call('POST', '/api/v1/schedules/daily-demo/run');
    expect(status).toBe(202);
    const launch = body as Launch;
    expect(launch.argv).toEqual([STANDIN, 'schedule', 'run', '--', 'daily-demo']);
    expect(launch.state_ids).toEqual(['daily-demo']);
    expect(launch.pid).toBeGreaterThan(0);
    const run = await runOf(launch);
    expect(run.trigger).toBe('ui');
    expect((await finished(run.id)).status).toBe('success');
    const done = await until('the launch to end', async () => {
      const l = (await call('GET', `/api/v1/launches/${launch.id}`)).body as Launch;
      return l.status === 'exited' ? l : null;
    });
    expect(done.exit_code).toBe(0);
    expect((await call('GET', `/api/v1/runs/${run.id}/launch`)).body.launch.id).toBe(launch.id);
    expect((await call('GET', '/api/v1/runs/15/launch')).body).toEqual({ launch: null, retries: [] });
    const log = await call('GET', `/api/v1/runs/${run.id}/log?tail=50`);
    expect(log.body.text).toContain('Extract & load complete!');
    // The schedule now reports this run as its latest.
    const schedule = (await call('GET', '/api/v1/schedules/daily-demo')).body;
    expect(schedule.latest_run).toMatchObject({ id: run.id, status: 'success', trigger: 'ui' });
  });

  it('reports a failing run and its exit code', async () => {
    const launch = (await call('POST', '/api/v1/schedules/failing-demo/run')).body as Launch;
    const run = await runOf(launch);
    const ended = await finished(run.id);
    expect(ended).toMatchObject({ status: 'failed', error: 'Extractor failed' });
    const done = await until('exit', async () => {
      const l = (await call('GET', `/api/v1/launches/${launch.id}`)).body as Launch;
      return l.status === 'exited' ? l : null;
    });
    expect(done.exit_code).toBe(1);
  });

  it('runs with options as Meltano flags, recorded with the launch; an option the version lacks is a 400', async () => {
    // The stand-in says it is Meltano 3.9.5: no --timeout (4.0), and `meltano elt` has no suffix.
    const offered = (await call('GET', '/api/v1/schedules/daily-demo/run-options')).body;
    expect(offered).toEqual({
      meltano_version: '3.9.5',
      command: 'elt',
      options: ['full_refresh', 'refresh_catalog', 'dry_run', 'state_strategy'],
    });
    expect((await call('GET', '/api/v1/jobs/demo-job/run-options')).body.options).toEqual([
      'full_refresh',
      'refresh_catalog',
      'no_state_update',
      'state_id_suffix',
      'dry_run',
      'state_strategy',
    ]);
    const post = (url: string, payload: object) =>
      app.server
        .inject({ method: 'POST', url, payload })
        .then((r) => ({ status: r.statusCode, body: r.json() }));
    const tooNew = await post('/api/v1/jobs/demo-job/run', { options: { timeout: 60 } });
    expect(tooNew).toMatchObject({
      status: 400,
      body: { code: 'invalid_input', details: { field: 'options.timeout' } },
    });
    expect(tooNew.body.message).toMatch(/needs Meltano 4\.0 or later; this server runs Meltano 3\.9\.5/);
    expect((await post('/api/v1/jobs/demo-job/run', { options: { bogus: true } })).status).toBe(400);
    expect((await post('/api/v1/jobs/demo-job/run', { options: { state_id_suffix: '../x' } })).status).toBe(
      400,
    );

    const full = await post('/api/v1/schedules/daily-demo/run', { options: { full_refresh: true } });
    expect(full.status).toBe(202);
    const launch = full.body as Launch & { options: object };
    expect(launch.argv.slice(1)).toEqual(['schedule', 'run', '--', 'daily-demo', '--full-refresh']);
    expect(launch.options).toEqual({ full_refresh: true });
    const run = await runOf(launch);
    expect((await finished(run.id)).status).toBe('success');
    expect((await call('GET', `/api/v1/runs/${run.id}/launch`)).body.launch.options).toEqual({
      full_refresh: true,
    });
  });

  it('retries a failed run with the same pipeline and options, and links the retry and its original', async () => {
    const first = await app.server.inject({
      method: 'POST',
      url: '/api/v1/schedules/failing-demo/run',
      payload: { options: { full_refresh: true } },
    });
    const failedRun = await runOf(first.json() as Launch);
    expect((await finished(failedRun.id)).status).toBe('failed');
    const retried = await app.server.inject({ method: 'POST', url: `/api/v1/runs/${failedRun.id}/retry` });
    expect(retried.statusCode, retried.body).toBe(202);
    const retry = retried.json() as Launch & { options: object; retry_of_run_id: number | null };
    expect(retry).toMatchObject({
      pipeline_name: 'failing-demo',
      retry_of_run_id: failedRun.id,
      options: { full_refresh: true },
    });
    const retryRun = await runOf(retry);
    await finished(retryRun.id);
    const links = (await call('GET', `/api/v1/runs/${failedRun.id}/launch`)).body;
    expect(links.retries).toEqual([
      { launch_id: retry.id, created_at: retry.created_at, run_id: retryRun.id },
    ]);
    // A run the CLI wrote (run 9 of the fixture, failing-demo) is retried as its schedule, without options.
    const fromCli = await app.server.inject({ method: 'POST', url: '/api/v1/runs/9/retry' });
    expect(fromCli.statusCode, fromCli.body).toBe(202);
    expect(fromCli.json()).toMatchObject({ pipeline_name: 'failing-demo', retry_of_run_id: 9, options: {} });
    await finished((await runOf(fromCli.json() as Launch)).id);
    // Only failed or presumed-dead runs.
    const success = await app.server.inject({ method: 'POST', url: '/api/v1/runs/8/retry' });
    expect(success.statusCode).toBe(409);
    expect(success.json().code).toBe('run_not_retryable');
  });

  it('runs a job with `meltano run`, in the active environment', async () => {
    const launch = (await call('POST', '/api/v1/jobs/demo-job/run')).body as Launch;
    expect(launch.argv.slice(1)).toEqual(['run', '--', 'demo-job']);
    const run = await runOf(launch);
    expect(run).toMatchObject({ trigger: 'ui' });
    expect((await finished(run.id)).state_id).toBe('dev:tap-demo-to-target-demo');
  });

  it('refuses a second start of a running pipeline with 409, even for two requests at once', async () => {
    const results = await Promise.all([
      app.server.inject({ method: 'POST', url: '/api/v1/schedules/cron-demo/run?' }),
      app.server.inject({ method: 'POST', url: '/api/v1/schedules/cron-demo/run' }),
    ]);
    // Slow this run down so it is still going for the next assertions.
    expect(results.map((r) => r.statusCode).sort()).toEqual([202, 409]);
    const refused = results.find((r) => r.statusCode === 409)!.json();
    expect(refused.code).toMatch(/^pipeline_(starting|running)$/);
    const launch = results.find((r) => r.statusCode === 202)!.json() as Launch;
    await finished((await runOf(launch)).id);
  });

  it('cancels a run it started: SIGTERM, and the run ends as Meltano ends it', async () => {
    const hang = await startTestApp(dialect, {
      env: { MELTANO_UI_MELTANO_EXECUTABLE: STANDIN, STANDIN_MODE: 'hang', STANDIN_DELAY_MS: '100' },
      launcher: { cancelGraceMs: 3000 },
    });
    try {
      const launch = (
        await hang.server.inject({ method: 'POST', url: '/api/v1/schedules/cron-demo/run' })
      ).json() as Launch;
      const run = await until('the run row', async () => {
        const res = await hang.server.inject({ url: '/api/v1/runs?state_id=cron-demo&status=running' });
        return (res.json().items as { id: number }[])[0];
      });
      const again = await hang.server.inject({ method: 'POST', url: '/api/v1/schedules/cron-demo/run' });
      expect(again.statusCode).toBe(409);
      expect(again.json().code).toMatch(/^pipeline_(starting|running)$/);
      const cancel = await hang.server.inject({ method: 'POST', url: `/api/v1/runs/${run.id}/cancel` });
      expect(cancel.statusCode).toBe(202);
      expect(cancel.json().cancel_requested_at).not.toBeNull();
      const ended = await until('the cancelled run to end', async () => {
        const r = (await hang.server.inject({ url: `/api/v1/runs/${run.id}` })).json();
        return r.status === 'failed' ? r : null;
      });
      expect(ended.error).toBe('The process was terminated');
      await until('the process to exit', async () => !alive(launch.pid!));
    } finally {
      await hang.cleanup();
    }
  });

  it('keeps a run going through a server restart, and the new server still knows and cancels it', async () => {
    const first = await startTestApp(dialect, {
      env: { MELTANO_UI_MELTANO_EXECUTABLE: STANDIN, STANDIN_MODE: 'hang', STANDIN_DELAY_MS: '100' },
    });
    const launch = (
      await first.server.inject({ method: 'POST', url: '/api/v1/schedules/daily-demo/run' })
    ).json() as Launch;
    const run = await until('the run row', async () => {
      const res = await first.server.inject({ url: '/api/v1/runs?state_id=daily-demo&status=running' });
      return (res.json().items as { id: number }[])[0];
    });
    await first.server.close(); // the server goes away; the detached run does not
    await first.core.close();
    expect(alive(launch.pid!)).toBe(true);
    const core = await openCoreContext({
      projectRoot: first.root,
      databaseUri: first.databaseUri,
      env: first.core.env,
    });
    const second = await buildServer({ core, webRoot: null });
    try {
      const seen = await second.inject({ url: `/api/v1/runs/${run.id}` });
      expect(seen.json().status).toBe('running');
      expect((await second.inject({ url: `/api/v1/runs/${run.id}/launch` })).json().launch.id).toBe(
        launch.id,
      );
      expect(
        (
          await second.inject({
            method: 'POST',
            url: `/api/v1/runs/${run.id}/cancel`,
            headers: { 'x-requested-with': 'meltano-ui-test' },
          })
        ).statusCode,
      ).toBe(202);
      await until(
        'the run to fail',
        async () => (await second.inject({ url: `/api/v1/runs/${run.id}` })).json().status === 'failed',
      );
      const ended = await until('the launch to be recorded as ended', async () => {
        const l = (await second.inject({ url: `/api/v1/launches/${launch.id}` })).json() as Launch;
        return l.status === 'exited' ? l : null;
      });
      expect(ended.exit_code).toBe(143);
    } finally {
      await second.close();
      await core.close();
      await first.cleanup().catch(() => {});
    }
  });

  it('kills the process group of a run that ignores SIGTERM, and fails its row as Meltano would', async () => {
    const stubborn = await startTestApp(dialect, {
      env: { MELTANO_UI_MELTANO_EXECUTABLE: STANDIN, STANDIN_MODE: 'stubborn', STANDIN_DELAY_MS: '100' },
      launcher: { cancelGraceMs: 1000 },
    });
    try {
      const launch = (
        await stubborn.server.inject({ method: 'POST', url: '/api/v1/schedules/cron-demo/run' })
      ).json() as Launch;
      const run = await until('the run row', async () => {
        const res = await stubborn.server.inject({ url: '/api/v1/runs?state_id=cron-demo&status=running' });
        return (res.json().items as { id: number }[])[0];
      });
      expect(
        (await stubborn.server.inject({ method: 'POST', url: `/api/v1/runs/${run.id}/cancel` })).statusCode,
      ).toBe(202);
      const ended = await until('the killed run to be failed', async () => {
        const r = (await stubborn.server.inject({ url: `/api/v1/runs/${run.id}` })).json();
        return r.status === 'failed' ? r : null;
      });
      expect(ended.error).toMatch(/killed by the Meltano UI after it did not stop/);
      await until('the process group to be gone', async () => !alive(launch.pid!));
    } finally {
      await stubborn.cleanup();
    }
  });

  it('will not cancel runs it did not start, nor finished ones', async () => {
    const stale = await call('POST', '/api/v1/runs/15/cancel');
    expect(stale.status).toBe(409);
    expect(stale.body.code).toBe('run_not_started_here');
    expect(stale.body.message).toMatch(/not started by this Meltano UI/);
    const done = await call('POST', '/api/v1/runs/8/cancel');
    expect(done).toMatchObject({ status: 409, body: { code: 'run_finished' } });
    expect((await call('POST', '/api/v1/runs/99999/cancel')).status).toBe(404);
  });

  it('says which Meltano CLI runs will use', async () => {
    const { status, body } = await call('GET', '/api/v1/project');
    expect(status).toBe(200);
    // Checked at boot (`meltano --version`), so the first answer already has the version.
    expect(body.meltano).toEqual({
      available: true,
      source: 'setting',
      executable: STANDIN,
      reason: null,
      version: '3.9.5',
      checked: true,
    });
  });

  it('says how to fix a missing Meltano CLI', async () => {
    const missing = await startTestApp(dialect, {
      env: { MELTANO_UI_MELTANO_EXECUTABLE: '/nonexistent/meltano' },
    });
    try {
      // Said up front, before any click: the web app shows it on every page and disables Run now/Install.
      const project = await missing.server.inject({ method: 'GET', url: '/api/v1/project' });
      expect(project.json().meltano).toEqual({
        available: false,
        source: null,
        executable: null,
        reason: expect.stringContaining('ui.meltano_executable is set to /nonexistent/meltano'),
        version: null,
        checked: true,
      });
      const res = await missing.server.inject({ method: 'POST', url: '/api/v1/schedules/daily-demo/run' });
      expect(res.statusCode).toBe(503);
      expect(res.json().message).toBe(project.json().meltano.reason);
      expect(res.json()).toMatchObject({ error: true, code: 'meltano_not_found' });
      expect(res.json().message).toContain('ui.meltano_executable');
    } finally {
      await missing.cleanup();
    }
  });

  it('shows why a CLI that exits at once did not run', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bad-meltano-'));
    const script = path.join(dir, 'meltano');
    fs.writeFileSync(script, '#!/bin/sh\necho "Error: plugin tap-demo is not installed" >&2\nexit 1\n', {
      mode: 0o755,
    });
    const bad = await startTestApp(dialect, {
      env: { MELTANO_UI_MELTANO_EXECUTABLE: script },
      launcher: { earlyExitWaitMs: 3000 },
    });
    try {
      const res = await bad.server.inject({ method: 'POST', url: '/api/v1/schedules/daily-demo/run' });
      expect(res.statusCode).toBe(202);
      expect(res.json()).toMatchObject({ status: 'exited', exit_code: 1 });
      const out = await bad.server.inject({ url: `/api/v1/launches/${res.json().id}/output` });
      expect(out.json().text).toContain('Error: plugin tap-demo is not installed');
    } finally {
      await bad.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses runs in read-only mode with 499', async () => {
    const ro = await startTestApp(dialect, {
      env: { MELTANO_UI_MELTANO_EXECUTABLE: STANDIN, MELTANO_UI_READONLY: 'true' },
    });
    try {
      const res = await ro.server.inject({ method: 'POST', url: '/api/v1/schedules/daily-demo/run' });
      expect(res.statusCode).toBe(499);
      expect(res.json()).toMatchObject({ error: true, code: 'Meltano UI is running in read-only mode' });
    } finally {
      await ro.cleanup();
    }
  });
});
