import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

const BOOM = "RuntimeError: HTTP 500 from upstream API while paginating 'users'";

describe.each(DIALECTS)('failure causes (%s)', (dialect) => {
  let app: TestApp;
  const logOf = (stateDir: string, runId: string) =>
    path.join(app.root, '.meltano', 'logs', 'elt', stateDir, runId, 'elt.log');
  /** The 1-based number of the first line of the file that contains `text`. */
  const lineOf = (file: string, text: string) =>
    fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes(text)) + 1;
  const storedRow = async (runId: number) => (await app.core.failureCauses.stored([runId]))[0] ?? null;

  beforeAll(async () => {
    app = await startTestApp(dialect, {});
  });
  afterAll(() => app.cleanup());

  it("GET /runs/{id}: the tap's traceback line with its number, read once and then from the cache", async () => {
    const file = logOf('failing-demo', '01a1fc64-830a-7eb2-802c-09796b82fbc3');
    const reads = app.core.failureCauses.logReads;
    const first = await app.server.inject({ url: '/api/v1/runs/9' });
    expect(first.statusCode).toBe(200);
    expect(first.json().error).toMatch(/^ELT could not be completed/);
    expect(first.json().failure_cause).toEqual({
      message: BOOM,
      line: lineOf(file, `] ${BOOM}`),
      source: 'tap-demo-fail',
      cmd_type: 'extractor',
      kind: 'exception',
    });
    expect(app.core.failureCauses.logReads).toBe(reads + 1);
    // The table write is not awaited by the request; wait for it before reading the row back.
    await app.core.failureCauses.idle();
    const row = await storedRow(9);
    expect(row).toEqual({
      run_id: 9,
      cause: first.json().failure_cause,
      log_size: fs.statSync(file).size,
      log_mtime: fs.statSync(file).mtime.toISOString(),
    });

    const second = await app.server.inject({ url: '/api/v1/runs/9' });
    expect(second.json().failure_cause).toEqual(first.json().failure_cause);
    expect(app.core.failureCauses.logReads).toBe(reads + 1);
  });

  it("a run whose log holds no cause falls back to the runs row's error; runs that did not fail have none", async () => {
    const killed = (await app.server.inject({ url: '/api/v1/runs/14' })).json();
    expect(killed.failure_cause).toEqual({
      message: 'No heartbeat recorded for 5 minutes. The process was likely killed unceremoniously.',
      line: null,
      source: null,
      cmd_type: null,
      kind: 'run_row',
    });
    expect((await app.server.inject({ url: '/api/v1/runs/8' })).json().failure_cause).toBeNull();
  });

  it('lists read no log in the request: a failed run is read in the background, then served from the cache', async () => {
    const reads = app.core.failureCauses.logReads;
    const firstPage = (await app.server.inject({ url: '/api/v1/runs?state_id=manual-fail' })).json();
    expect(firstPage.items.map((r: { id: number }) => r.id)).toEqual([3]);
    await app.core.failureCauses.idle();
    expect(app.core.failureCauses.logReads).toBe(reads + 1);
    const page = (await app.server.inject({ url: '/api/v1/runs?state_id=manual-fail' })).json();
    expect(page.items[0].failure_cause).toMatchObject({ message: BOOM, kind: 'exception' });
    await app.core.failureCauses.idle();
    expect(app.core.failureCauses.logReads).toBe(reads + 1);
  });

  it("GET /schedules and /jobs: the latest failed run's cause", async () => {
    await app.server.inject({ url: '/api/v1/schedules' });
    await app.server.inject({ url: '/api/v1/jobs' });
    await app.core.failureCauses.idle();
    const { schedules } = (await app.server.inject({ url: '/api/v1/schedules' })).json();
    const failing = schedules.find((s: { name: string }) => s.name === 'failing-demo');
    expect(failing.latest_run).toMatchObject({ id: 9, failure_cause: { message: BOOM, kind: 'exception' } });
    const daily = schedules.find((s: { name: string }) => s.name === 'daily-demo');
    expect(daily.latest_run.failure_cause).toBeNull();
    const one = (await app.server.inject({ url: '/api/v1/schedules/failing-demo' })).json();
    expect(one.latest_run.failure_cause).toMatchObject({ message: BOOM });
    const { state_ids } = (await app.server.inject({ url: '/api/v1/state' })).json();
    expect(
      state_ids.find((s: { state_id: string }) => s.state_id === 'failing-demo').latest_run.failure_cause,
    ).toMatchObject({
      message: BOOM,
    });
  });

  it('another replica reads the cause from the table, not the log', async () => {
    const replica = await startTestApp(dialect, { replicaOf: app });
    try {
      const res = (await replica.server.inject({ url: '/api/v1/runs/9' })).json();
      expect(res.failure_cause).toMatchObject({ message: BOOM, kind: 'exception' });
      expect(replica.core.failureCauses.logReads).toBe(0);
    } finally {
      await replica.server.close();
      await replica.core.close();
    }
  });
});
