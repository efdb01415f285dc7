import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

// Run 8 (daily-demo, SUCCESS) of the real-Meltano v3.9.5 fixture: its log gets Singer SDK METRIC
// lines wrapped the way Meltano 3.9 writes a plugin's stderr (the real run's tap wrote none).
const RUN_ID = '01a1fc64-72b2-7906-8379-1e4a31b1c9a7';
const metricLine = (plugin: 'tap-demo' | 'target-demo', stream: string, value: number) => {
  const producer = plugin === 'tap-demo';
  const metric = JSON.stringify({ type: 'counter', metric: 'record_count', value, tags: { stream } });
  return `2026-11-21T04:36:40.000000Z [info     ] 2026-11-21 04:36:40,000 | INFO     | singer_sdk.metrics             | METRIC: ${metric} cmd_type=elb consumer=${!producer ? 'True' : 'False'} job_name=daily-demo name=${plugin} producer=${producer ? 'True' : 'False'} run_id=${RUN_ID} stdio=stderr string_id=${plugin}\n`;
};

/** A finished run's log counts as complete once left alone for a while: as if written a minute ago. */
const settled = (file: string) => {
  const past = new Date(Date.now() - 60_000);
  fs.utimesSync(file, past, past);
};

describe.each(DIALECTS)('run metrics (%s)', (dialect) => {
  let app: TestApp;
  let log: string;

  beforeAll(async () => {
    app = await startTestApp(dialect, {});
    log = path.join(app.root, '.meltano', 'logs', 'elt', 'daily-demo', RUN_ID, 'elt.log');
    // Two of the SDK's periodic reports for `users` (deltas: 100 then 20) and one for `orders`.
    fs.appendFileSync(
      log,
      metricLine('tap-demo', 'users', 100) +
        metricLine('tap-demo', 'users', 20) +
        metricLine('tap-demo', 'orders', 7) +
        metricLine('target-demo', 'users', 120),
    );
    settled(log);
  });
  afterAll(() => app.cleanup());

  it('GET /runs/{id}/metrics: records per stream out of the tap and into the target', async () => {
    const res = await app.server.inject({ url: '/api/v1/runs/8/metrics' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.records_extracted).toBe(127);
    expect(body.records_loaded).toBe(120);
    expect(body.metric_lines).toBe(4);
    expect(body.complete).toBe(true);
    expect(
      body.by_stream.map((s: { stream: string; records_extracted: number; records_loaded: number }) => [
        s.stream,
        s.records_extracted,
        s.records_loaded,
      ]),
    ).toEqual(
      expect.arrayContaining([
        ['users', 120, 120],
        ['orders', 7, null],
      ]),
    );
    expect(body.log).toMatchObject({ size: fs.statSync(log).size });
  });

  it('a log that grows is read from where it stopped', async () => {
    fs.appendFileSync(log, metricLine('tap-demo', 'orders', 3));
    settled(log);
    const body = (await app.server.inject({ url: '/api/v1/runs/8/metrics' })).json();
    expect(body.records_extracted).toBe(130);
    expect(body.metric_lines).toBe(5);
  });

  it("lists carry each run's stored records, never reading a log in the request", async () => {
    await app.core.runMetrics.idle();
    const page = (await app.server.inject({ url: '/api/v1/runs?state_id=daily-demo' })).json();
    expect(page.items[0]).toMatchObject({ id: 8, records_extracted: 130, records_loaded: 120 });
    const one = (await app.server.inject({ url: '/api/v1/runs/8' })).json();
    expect(one).toMatchObject({ records_extracted: 130, records_loaded: 120 });
    const { schedules } = (await app.server.inject({ url: '/api/v1/schedules' })).json();
    const daily = schedules.find((s: { name: string }) => s.name === 'daily-demo');
    expect(daily.latest_run).toMatchObject({ id: 8, records_extracted: 130, records_loaded: 120 });
  });

  it('GET /runs/records-by-stream: each run’s records per stream, streams ranked by what they moved', async () => {
    await app.core.runMetrics.idle();
    const res = await app.server.inject({ url: '/api/v1/runs/records-by-stream?state_id=daily-demo' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ streams: ['users', 'orders'], other_streams: 0 });
    expect(body.runs[0]).toMatchObject({
      id: 8,
      known: true,
      counted: 'extracted',
      counts: [120, 10],
      other: 0,
      total: 130,
    });
    const bad = await app.server.inject({ url: '/api/v1/runs/records-by-stream' });
    expect(bad.statusCode).toBe(400);
  });

  it('a run whose log has no METRIC line has unknown records; a missing run is a 404', async () => {
    const failed = (await app.server.inject({ url: '/api/v1/runs/9/metrics' })).json();
    expect(failed).toMatchObject({ records_extracted: null, records_loaded: null, metric_lines: 0 });
    const missing = await app.server.inject({ url: '/api/v1/runs/999999/metrics' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ error: true, code: 'run_not_found' });
  });
});
