import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdSqliteLock, setJournalMode } from '../../../packages/core/test/support/sqlite-lock.js';
import { openSystemDb } from '../../../test-fixtures/meltano-standin/src/index.mjs';
import { DIALECTS, startTestApp, TEST_SECRETS, type TestApp } from './support/test-app.js';

// The real-Meltano v3.9.5 fixture at 06:00 on the day its runs were made (04:36–04:45 UTC).
const NOW = new Date('2026-11-21T06:00:00Z');
const ENABLED = { MELTANO_UI_METRICS_ENABLED: 'true' };
// Run 8 (daily-demo, SUCCESS): its log gets Singer SDK METRIC lines (see run-metrics.test.ts).
const RUN_ID = '01a1fc64-72b2-7906-8379-1e4a31b1c9a7';
const metricLine = (plugin: 'tap-demo' | 'target-demo', stream: string, value: number) => {
  const producer = plugin === 'tap-demo';
  const metric = JSON.stringify({ type: 'counter', metric: 'record_count', value, tags: { stream } });
  return `2026-11-21T04:36:40.000000Z [info     ] 2026-11-21 04:36:40,000 | INFO     | singer_sdk.metrics             | METRIC: ${metric} cmd_type=elb consumer=${producer ? 'False' : 'True'} job_name=daily-demo name=${plugin} producer=${producer ? 'True' : 'False'} run_id=${RUN_ID} stdio=stderr string_id=${plugin}\n`;
};

/** Every line of the text format 0.0.4 as prom-client writes it: HELP, TYPE, or one sample. */
const LABEL = '[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\\\\n]|\\\\["\\\\n])*"';
const SAMPLE = new RegExp(
  `^[a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{${LABEL}(?:,${LABEL})*\\})? (?:[-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][-+]?\\d+)?|[Nn]a[Nn]|[+-]Inf)$`,
);
const COMMENT =
  /^# (?:HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (?:counter|gauge|histogram|summary|untyped))$/;

function checkExposition(text: string): void {
  const samples = new Set<string>();
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      expect(line, 'a comment line').toMatch(COMMENT);
      continue;
    }
    expect(line, 'a sample line').toMatch(SAMPLE);
    const series = line.slice(0, line.lastIndexOf(' '));
    expect(samples.has(series), `one sample per series: ${series}`).toBe(false);
    samples.add(series);
  }
}

/** The value of one sample (`name{labels}` exactly as written), or null when absent. */
function sample(text: string, series: string): number | null {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? null : Number(line.slice(series.length + 1));
}

const pipelineSamples = (text: string) => text.split('\n').filter((l) => l.startsWith('meltano_pipeline_'));
const at = (iso: string) => Date.parse(iso) / 1000;

describe.each(DIALECTS)('pipeline series on /api/v1/metrics (%s)', (dialect) => {
  let app: TestApp;
  const scrape = async () => {
    const res = await app.server.inject({ url: '/api/v1/metrics' });
    expect(res.statusCode, res.body).toBe(200);
    checkExposition(res.body);
    return res.body;
  };

  beforeAll(async () => {
    app = await startTestApp(dialect, { now: NOW, env: ENABLED });
    const log = path.join(app.root, '.meltano', 'logs', 'elt', 'daily-demo', RUN_ID, 'elt.log');
    fs.appendFileSync(
      log,
      metricLine('tap-demo', 'users', 120) +
        metricLine('tap-demo', 'orders', 7) +
        metricLine('target-demo', 'users', 120),
    );
    // Left alone long before NOW: the finished run's log is complete.
    const past = new Date(NOW.getTime() - 3_600_000);
    fs.utimesSync(log, past, past);
    const run = await app.core.db.runs.get(8);
    if (run === null) throw new Error('run 8 of the fixture');
    expect((await app.core.runMetrics.metricsFor(run)).complete).toBe(true);
    await app.core.runMetrics.idle();
  });
  afterAll(() => app.cleanup());

  it('runs by outcome, the latest status (one series per status), start and last success', async () => {
    const text = await scrape();
    expect(sample(text, 'meltano_ui_pipeline_metrics_up')).toBe(1);
    const runs = (pipeline: string, kind: string, status: string) =>
      sample(text, `meltano_pipeline_runs_total{pipeline="${pipeline}",kind="${kind}",status="${status}"}`);
    expect(runs('daily-demo', 'schedule', 'success')).toBe(1);
    expect(runs('daily-demo', 'schedule', 'failed')).toBe(0);
    expect(runs('failing-demo', 'schedule', 'failed')).toBe(1);
    // multi-job records two state IDs: dev:tap-demo-to-target-demo (runs 4, 5, 10) and the failing pair (6).
    expect([runs('multi-job', 'job', 'success'), runs('multi-job', 'job', 'failed')]).toEqual([3, 1]);
    expect(runs('demo-job-schedule', 'schedule', 'success')).toBe(3);
    // State IDs no schedule or job records are pipelines of their own (prod's pair: dev is active).
    expect(runs('manual-ok', 'state_id', 'success')).toBe(2);
    expect(runs('prod:tap-demo-to-target-demo', 'state_id', 'success')).toBe(1);
    // manual-edit only ever had STATE_EDIT rows: not a run, so not a pipeline.
    expect(text).not.toContain('pipeline="manual-edit"');

    const status = (pipeline: string, kind: string) =>
      Object.fromEntries(
        ['running', 'success', 'failed', 'stale'].map((s) => [
          s,
          sample(
            text,
            `meltano_pipeline_last_run_status{pipeline="${pipeline}",kind="${kind}",status="${s}"}`,
          ),
        ]),
      );
    expect(status('failing-demo', 'schedule')).toEqual({ running: 0, success: 0, failed: 1, stale: 0 });
    expect(status('daily-demo', 'schedule')).toEqual({ running: 0, success: 1, failed: 0, stale: 0 });
    // RUNNING since 04:44:59 with its last heartbeat at 04:45:06: presumed dead at 06:00.
    expect(status('dev:tap-demo-slow-to-target-demo', 'state_id')).toEqual({
      running: 0,
      success: 0,
      failed: 0,
      stale: 1,
    });

    expect(
      sample(
        text,
        'meltano_pipeline_last_run_start_timestamp_seconds{pipeline="daily-demo",kind="schedule"}',
      ),
    ).toBeCloseTo(at('2026-11-21T04:36:43.835Z'), 2);
    expect(
      sample(text, 'meltano_pipeline_last_success_timestamp_seconds{pipeline="daily-demo",kind="schedule"}'),
    ).toBeCloseTo(at('2026-11-21T04:36:44.103Z'), 2);
    // Its newest success is run 10 (the job's pair), not its last run (6, failed).
    expect(
      sample(text, 'meltano_pipeline_last_success_timestamp_seconds{pipeline="multi-job",kind="job"}'),
    ).toBeCloseTo(at('2026-11-21T04:36:53.078Z'), 2);
    expect(
      sample(
        text,
        'meltano_pipeline_last_success_timestamp_seconds{pipeline="failing-demo",kind="schedule"}',
      ),
    ).toBeNull();
  });

  it('lateness of schedules with a cron, none for jobs', async () => {
    const text = await scrape();
    const late = (p: string) => sample(text, `meltano_pipeline_late{pipeline="${p}",kind="schedule"}`);
    const missed = (p: string) =>
      sample(text, `meltano_pipeline_missed_runs{pipeline="${p}",kind="schedule"}`);
    // @daily, last run at 04:36: next due at midnight.
    expect([late('daily-demo'), missed('daily-demo')]).toEqual([0, 0]);
    // @hourly from 04:36:48: 05:00 passed its grace (6 minutes), 06:00 is still within it.
    expect([late('failing-demo'), missed('failing-demo')]).toEqual([1, 1]);
    // Every 15 minutes from 04:36:57: 04:45 … 05:45 missed (5 minutes' grace each).
    expect([late('cron-demo'), missed('cron-demo')]).toEqual([1, 5]);
    expect(text).not.toMatch(/^meltano_pipeline_late\{pipeline="multi-job"/m);
  });

  it('records per stream of the latest finished run, by extractor and loader', async () => {
    const text = await scrape();
    const records = (stream: string, by: string) =>
      sample(
        text,
        `meltano_pipeline_latest_run_records{pipeline="daily-demo",kind="schedule",stream="${stream}",counted_by="${by}"}`,
      );
    expect([records('users', 'extractor'), records('users', 'loader')]).toEqual([120, 120]);
    expect([records('orders', 'extractor'), records('orders', 'loader')]).toEqual([7, null]);
    expect(sample(text, 'meltano_ui_metrics_series_dropped{reason="pipeline_cap"}')).toBe(0);
    expect(sample(text, 'meltano_ui_metrics_series_dropped{reason="stream_cap"}')).toBe(0);
  });

  it('run durations: runs seen finishing after the first scrape, each once', async () => {
    const before = await scrape();
    // The fixture's runs ended before this process watched: none is in the histogram.
    expect(before).not.toMatch(/^meltano_pipeline_run_duration_seconds_count/m);
    const db = openSystemDb(app.databaseUri ?? `sqlite:///${path.join(app.root, '.meltano', 'meltano.db')}`);
    try {
      for (const [state, start, end] of [
        ['SUCCESS', '2026-11-21 05:50:00.000000', '2026-11-21 05:52:30.000000'],
        ['FAIL', '2026-11-21 05:53:00.000000', '2026-11-21 05:53:05.000000'],
      ] as const) {
        await db.insertRun({
          job_name: 'daily-demo',
          state,
          started_at: start,
          ended_at: end,
          last_heartbeat_at: end,
          run_id: `${state === 'FAIL' ? 'f' : 'a'}${'0'.repeat(31)}`,
          trigger: 'cli',
        });
      }
    } finally {
      await db.close();
    }
    const series = (suffix: string, status: string, le?: string) =>
      `meltano_pipeline_run_duration_seconds_${suffix}{${le ? `le="${le}",` : ''}pipeline="daily-demo",kind="schedule",status="${status}"}`;
    for (let i = 0; i < 2; i++) {
      const text = await scrape();
      expect(sample(text, series('count', 'success'))).toBe(1);
      expect(sample(text, series('sum', 'success'))).toBe(150);
      expect(sample(text, series('bucket', 'success', '120'))).toBe(0);
      expect(sample(text, series('bucket', 'success', '300'))).toBe(1);
      expect(sample(text, series('bucket', 'failed', '10'))).toBe(1);
      expect(sample(text, series('bucket', 'success', '21600'))).toBe(1);
      expect(
        sample(text, 'meltano_pipeline_runs_total{pipeline="daily-demo",kind="schedule",status="failed"}'),
      ).toBe(1);
      expect(
        sample(
          text,
          'meltano_pipeline_last_success_timestamp_seconds{pipeline="daily-demo",kind="schedule"}',
        ),
      ).toBe(at('2026-11-21T05:52:30Z'));
    }
  });

  it('labels are project names: no path, no secret, no error text', async () => {
    const text = await scrape();
    expect(text).not.toContain(app.root);
    expect(text).not.toContain(path.dirname(app.root));
    for (const secret of Object.values(TEST_SECRETS)) expect(text).not.toContain(secret);
    if (app.databaseUri) expect(text).not.toContain(app.databaseUri);
    expect(text).not.toMatch(/Extractor failed|Loader failed|Traceback/);
    for (const line of pipelineSamples(text)) {
      const pipeline = /pipeline="([^"]*)"/.exec(line)?.[1] ?? '';
      expect(pipeline, line).not.toMatch(/[/\\]/);
    }
  });
});

describe('pipeline series under label caps', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('sqlite', {
      now: NOW,
      env: ENABLED,
      limits: { pipelineMetrics: { maxPipelines: 3, maxStreams: 1 } },
    });
  });
  afterAll(() => app.cleanup());

  it('keeps the first pipelines (schedules first) and counts the rest as dropped', async () => {
    const text = (await app.server.inject({ url: '/api/v1/metrics' })).body;
    checkExposition(text);
    const pipelines = new Set(
      pipelineSamples(text).map((l) => /pipeline="([^"]*)",kind="([^"]*)"/.exec(l)?.slice(1).join('/')),
    );
    expect([...pipelines].sort()).toEqual([
      'daily-demo/schedule',
      'demo-job-schedule/schedule',
      'failing-demo/schedule',
    ]);
    // 4 schedules, 2 jobs and 5 state IDs that neither records: 11 pipelines.
    expect(sample(text, 'meltano_ui_metrics_series_dropped{reason="pipeline_cap"}')).toBe(8);
  });
});

describe('pipeline series while the system database does not answer', () => {
  it('unreachable: the scrape answers 200 without them, and says so', async () => {
    const app = await startTestApp('sqlite', {
      env: { ...ENABLED, MELTANO_DATABASE_URI: 'postgresql://postgres@127.0.0.1:9/meltano_nowhere' },
    });
    try {
      const res = await app.server.inject({ url: '/api/v1/metrics' });
      expect(res.statusCode).toBe(200);
      checkExposition(res.body);
      expect(sample(res.body, 'meltano_ui_pipeline_metrics_up')).toBe(0);
      expect(pipelineSamples(res.body)).toEqual([]);
      // The process series are still there.
      expect(sample(res.body, 'process_resident_memory_bytes')).toBeGreaterThan(0);
      expect(res.body).not.toContain('127.0.0.1:9');
    } finally {
      await app.cleanup();
    }
  });

  it('locked by another process past the time budget: 200 without them, and back once it is free', async () => {
    const app = await startTestApp('sqlite', {
      now: NOW,
      env: ENABLED,
      limits: { pipelineMetrics: { timeoutMs: 300 } },
    });
    const file = path.join(app.root, '.meltano', 'meltano.db');
    try {
      const first = (await app.server.inject({ url: '/api/v1/metrics' })).body;
      expect(sample(first, 'meltano_ui_pipeline_metrics_up')).toBe(1);
      await app.core.close();
      setJournalMode(file, 'delete');
      const app2 = await startTestApp('sqlite', {
        now: NOW,
        env: ENABLED,
        replicaOf: app,
        limits: { pipelineMetrics: { timeoutMs: 300 } },
      });
      const lock = holdSqliteLock(file, 'exclusive');
      try {
        const t = performance.now();
        const res = await app2.server.inject({ url: '/api/v1/metrics' });
        expect(res.statusCode).toBe(200);
        expect(performance.now() - t).toBeLessThan(3000);
        expect(sample(res.body, 'meltano_ui_pipeline_metrics_up')).toBe(0);
        expect(pipelineSamples(res.body)).toEqual([]);
      } finally {
        lock.release();
      }
      const again = await app2.server.inject({ url: '/api/v1/metrics' });
      expect(sample(again.body, 'meltano_ui_pipeline_metrics_up')).toBe(1);
      await app2.cleanup();
    } finally {
      await app.cleanup().catch(() => {});
    }
  });
});
