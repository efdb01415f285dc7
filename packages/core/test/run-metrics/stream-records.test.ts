import { describe, expect, it } from 'vitest';
import type { StreamSummary } from '../../src/run-metrics/run-metrics.types.js';
import { streamRecordSeries } from '../../src/run-metrics/stream-records.js';
import type { RunView } from '../../src/runs/run.types.js';

const run = (id: number) =>
  ({ id, started_at: `2026-12-0${id}T00:00:00.000Z`, status: 'success' }) as RunView;
const row = (stream: string | null, extracted: number | null, loaded: number | null, overflow = false) =>
  ({
    stream,
    overflow,
    records_extracted: extracted,
    records_loaded: loaded,
    sync_duration_ms: null,
    http_requests: 0,
    http_errors: 0,
  }) satisfies StreamSummary;

describe('streamRecordSeries', () => {
  it('ranks streams by records over all runs and sums the rest as other', () => {
    const series = streamRecordSeries(
      [run(2), run(1)],
      new Map([
        [2, [row('users', 5, 5), row('orders', 50, 50), row('tiny', 1, 1)]],
        [1, [row('users', 100, 100), row('orders', 10, 10), row(null, 3, 3, true)]],
      ]),
      2,
    );
    expect(series.streams).toEqual(['users', 'orders']);
    // 'tiny' and the overflow row of run 1.
    expect(series.other_streams).toBe(2);
    expect(series.runs.map((r) => [r.id, r.counts, r.other, r.total])).toEqual([
      [2, [5, 50], 1, 56],
      [1, [100, 10], 3, 113],
    ]);
  });

  it('counts records into the target when the tap logged none; unknown runs say so', () => {
    const series = streamRecordSeries(
      [run(3), run(4), run(5)],
      new Map([
        [3, [row('users', null, 7)]],
        [4, []],
      ]),
    );
    expect(series.runs.map((r) => [r.known, r.counted, r.counts, r.total])).toEqual([
      [true, 'loaded', [7], 7],
      [true, null, [null], null],
      [false, null, [null], null],
    ]);
  });
});
