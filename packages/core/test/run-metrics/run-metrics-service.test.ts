import { appendFile, mkdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredRunMetrics } from '../../src/run-metrics/run-metrics.repository.js';
import { RunMetricsAggregator } from '../../src/run-metrics/run-metrics-aggregator.js';
import { RunMetricsService } from '../../src/run-metrics/run-metrics-service.js';
import type { RunPage, RunView } from '../../src/runs/run.types.js';
import { DIALECTS } from '../support/backends.js';
import { tempDir } from '../support/fixtures.js';
import { prepareRunMetricsBackends, type RunMetricsBackends } from './run-metrics-backends.js';

const TS = '2026-11-21T04:36:34.560171Z';
const line = (name: string, role: 'extractor' | 'loader', message: string) =>
  `${TS} [info     ] ${message.padEnd(30)} cmd_type=${role} name=${name} run_id=r state_id=s stdio=stderr\n`;
const tapCount = (n: number, stream = 'users') =>
  line(
    'tap-x',
    'extractor',
    `INFO METRIC: {"type": "counter", "metric": "record_count", "value": ${n}, "tags": {"stream": "${stream}"}}`,
  );
const targetCount = (n: number, stream = 'users') =>
  line(
    'target-y',
    'loader',
    `METRIC: {"type":"counter","metric":"record_count","value":${n},"tags":{"stream":"${stream}"}}`,
  );
const noise = (i: number) => line('tap-x', 'extractor', `INFO Emitted record id=${i}`);

let backends: RunMetricsBackends;
let scratch: { dir: string; cleanup: () => Promise<void> };
let runs = 0;
beforeAll(async () => {
  backends = await prepareRunMetricsBackends();
  scratch = await tempDir();
});
afterAll(async () => {
  await backends.cleanup();
  await scratch.cleanup();
});

function runView(over: Partial<RunView> = {}): RunView {
  runs += 1;
  const hex = runs.toString(16).padStart(12, '0');
  return {
    id: runs,
    state_id: 'dev:tap-x-to-target-y',
    run_id: `01a1fc64-0000-7000-8000-${hex}`,
    status: 'running',
    meltano_state: 'RUNNING',
    started_at: null,
    ended_at: null,
    last_heartbeat_at: null,
    heartbeat_age_seconds: null,
    duration_seconds: null,
    trigger: 'cli',
    error: null,
    payload_flags: null,
    ...over,
  };
}

/** Where Meltano writes a run's log (`:` dropped from the state ID). */
async function writeLog(run: RunView, content: string): Promise<string> {
  const file = path.join(scratch.dir, 'elt', 'devtap-x-to-target-y', run.run_id ?? '', 'elt.log');
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, content);
  return file;
}

const roots = () => [{ dir: scratch.dir, kind: 'project' as const }];
const finished = (run: RunView): RunView => ({ ...run, status: 'success', meltano_state: 'SUCCESS' });
/** A finished run's log, last written long enough ago to count as settled. */
const settle = (file: string) => utimes(file, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));

describe.each(DIALECTS)('run metrics repository on %s', (dialect) => {
  it('stores a run’s figures, progress and totals, and reads the totals of many runs in one call', async () => {
    const repo = await backends.repo(dialect);
    expect(await repo.get(1)).toBeNull();
    expect(await repo.records([1, 2])).toEqual([]);
    const aggregator = new RunMetricsAggregator();
    aggregator.add({
      plugin: 'tap-x',
      plugin_role: 'extractor',
      metric: { type: 'counter', metric: 'record_count', value: 5_000_000_000, tags: { stream: 'users' } },
    });
    const stored: StoredRunMetrics = {
      run_id: 7,
      parser_version: 1,
      log: { offset: 120, size: 130, mtime: '2026-11-21T04:36:34.560Z' },
      metrics: aggregator.result(),
      progress: {
        offset: 120,
        in_long_line: false,
        head: { length: 120, sha1: 'ab' },
        aggregate: aggregator.state(),
      },
      run_finished: false,
      computed_at: '2026-11-21T04:36:35.000Z',
    };
    await repo.put(stored);
    expect(await repo.get(7)).toEqual(stored);
    await repo.put({
      ...stored,
      run_id: 8,
      log: null,
      progress: null,
      run_finished: true,
      metrics: new RunMetricsAggregator().result(),
    });
    const again = {
      ...stored,
      log: { ...stored.log, offset: 130, size: 130 } as StoredRunMetrics['log'],
      run_finished: true,
    };
    await repo.put(again);
    expect(await repo.get(7)).toEqual(again);
    expect((await repo.records([7, 8, 9])).sort((a, b) => a.run_id - b.run_id)).toEqual([
      {
        run_id: 7,
        parser_version: 1,
        records_extracted: 5_000_000_000,
        records_loaded: null,
        run_finished: true,
        computed_at: '2026-11-21T04:36:35.000Z',
      },
      {
        run_id: 8,
        parser_version: 1,
        records_extracted: null,
        records_loaded: null,
        run_finished: true,
        computed_at: '2026-11-21T04:36:35.000Z',
      },
    ]);
  });
});

describe.each(DIALECTS)('RunMetricsService on %s', (dialect) => {
  it('reads a running run’s log once, then only what was appended, and nothing when unchanged', async () => {
    const repo = await backends.repo(dialect);
    const service = new RunMetricsService({ repo, roots: roots() });
    const run = runView();
    const body = Array.from({ length: 200 }, (_, i) => (i % 10 === 0 ? tapCount(2) : noise(i))).join('');
    const file = await writeLog(run, body);
    const first = await service.metricsFor(run);
    expect(first.records_extracted).toBe(40);
    expect(first.records_loaded).toBeNull();
    expect(first.complete).toBe(false);
    expect(first.log).toMatchObject({ offset: Buffer.byteLength(body), size: Buffer.byteLength(body) });
    expect(service.logBytesRead).toBe(Buffer.byteLength(body) + 256);

    expect((await service.metricsFor(run)).records_extracted).toBe(40);
    expect(service.logReads).toBe(1); // same size and mtime: a stat, no read

    const more = targetCount(40) + tapCount(3);
    await appendFile(file, more);
    const before = service.logBytesRead;
    const second = await service.metricsFor(run);
    expect([second.records_extracted, second.records_loaded]).toEqual([43, 40]);
    expect(service.logBytesRead - before).toBe(Buffer.byteLength(more) + 256);
    expect(second.by_stream).toEqual([
      expect.objectContaining({ stream: 'users', records_extracted: 43, records_loaded: 40 }),
    ]);

    // Another replica (or a restart) resumes from the stored row: it too reads only what is new.
    await service.idle();
    const replica = new RunMetricsService({ repo, roots: roots() });
    const last = tapCount(1);
    await appendFile(file, last);
    const third = await replica.metricsFor(finished(run));
    expect(third.records_extracted).toBe(44);
    expect(replica.logBytesRead).toBe(Buffer.byteLength(last) + 256);
    // Finished but written a moment ago: not final until the log settles.
    expect(third.complete).toBe(false);
    await settle(file);
    expect((await replica.metricsFor(finished(run))).complete).toBe(true);
    await replica.idle();
    expect((await repo.get(run.id))?.run_finished).toBe(true);
    await service.close();
    await replica.close();
  });

  it('counts a finished run’s unterminated last line once its log has settled', async () => {
    const repo = await backends.repo(dialect);
    const service = new RunMetricsService({ repo, roots: roots() });
    const run = finished(runView());
    const file = await writeLog(run, tapCount(5) + tapCount(6).trimEnd());
    expect((await service.metricsFor(run)).records_extracted).toBe(5);
    await settle(file);
    const done = await service.metricsFor(run);
    expect([done.records_extracted, done.complete]).toEqual([11, true]);
    expect(done.log?.offset).toBe((await stat(file)).size);
    await service.close();
  });

  it('keeps the figures of a log removed after it was read, and waits for a log not written yet', async () => {
    const repo = await backends.repo(dialect);
    const service = new RunMetricsService({ repo, roots: roots() });
    const run = finished(runView());
    const file = await writeLog(run, tapCount(9));
    expect((await service.metricsFor(run)).records_extracted).toBe(9);
    await rm(file);
    const after = await service.metricsFor(run);
    expect([after.records_extracted, after.log?.size]).toEqual([9, Buffer.byteLength(tapCount(9))]);

    const early = runView();
    const none = await service.metricsFor(early);
    expect([none.log, none.complete, none.records_extracted]).toEqual([null, false, null]);
    await writeLog(early, tapCount(4));
    expect((await service.metricsFor(early)).records_extracted).toBe(4);
    await service.close();
  });

  it('answers lists from the table without reading logs, and reads the ones it misses in the background', async () => {
    const repo = await backends.repo(dialect);
    const service = new RunMetricsService({ repo, roots: roots(), pauseBetweenLogsMs: 0 });
    const a = finished(runView());
    const b = finished(runView());
    const noLog = finished(runView());
    await writeLog(a, tapCount(10) + targetCount(10));
    await writeLog(b, tapCount(1, 'orders'));
    const listed = await service.recordsFor([a, b, noLog]);
    expect(listed).toEqual(new Map());
    await service.idle();
    expect(service.logReads).toBe(2);
    const again = await service.recordsFor([a, b, noLog]);
    expect(again).toEqual(
      new Map([
        [a.id, { records_extracted: 10, records_loaded: 10 }],
        [b.id, { records_extracted: 1, records_loaded: null }],
        [noLog.id, { records_extracted: null, records_loaded: null }],
      ]),
    );
    await service.idle();

    // A fresh replica reads the same from the table in one query, with no log read at all.
    const replica = new RunMetricsService({ repo, roots: roots() });
    expect((await replica.recordsFor([a, b])).get(a.id)).toEqual({
      records_extracted: 10,
      records_loaded: 10,
    });
    await replica.idle();
    expect(replica.logReads).toBe(0);
    await service.close();
    await replica.close();
  });

  it('backfills old runs one log at a time, and stops when closed', async () => {
    const repo = await backends.repo(dialect);
    const old = Array.from({ length: 7 }, () => finished(runView()));
    for (const [i, run] of old.entries()) await writeLog(run, tapCount(i + 1));
    const newestFirst = [...old].reverse();
    const listRuns = async (cursor: string | null, limit: number): Promise<RunPage> => {
      const start = cursor === null ? 0 : Number(cursor);
      const items = newestFirst.slice(start, start + Math.min(limit, 3));
      const next = start + items.length;
      return { items, next_cursor: next < newestFirst.length ? String(next) : null };
    };
    const service = new RunMetricsService({ repo, roots: roots(), listRuns, pauseBetweenLogsMs: 0 });
    service.startBackfill();
    await service.idle();
    const rows = await repo.records(old.map((r) => r.id));
    expect(
      rows.map((r) => [r.run_id, r.records_extracted]).sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0)),
    ).toEqual(old.map((r, i) => [r.id, i + 1]));
    await service.close();

    // A second backfill finds nothing left to read.
    const second = new RunMetricsService({ repo, roots: roots(), listRuns, pauseBetweenLogsMs: 0 });
    second.startBackfill();
    await second.idle();
    expect(second.logReads).toBe(0);
    await second.close();

    // Closed half-way: the reader stops at its next pause and nothing more is read.
    const other = await backends.repo(dialect);
    const slow = new RunMetricsService({ repo: other, roots: roots(), listRuns, pauseBetweenLogsMs: 60_000 });
    slow.startBackfill();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await slow.close();
    expect(slow.logReads).toBe(1);
    expect(await other.records(old.map((r) => r.id))).toHaveLength(1);
  });
});
