import { describe, expect, it } from 'vitest';
import { addDuration, emptyHistogram, percentile } from '../../src/run-metrics/duration-histogram.js';
import type { MetricLine } from '../../src/run-metrics/metric-line.js';
import {
  MAX_ENDPOINTS,
  MAX_STREAMS,
  RunMetricsAggregator,
} from '../../src/run-metrics/run-metrics-aggregator.js';

const point = (
  plugin: string,
  metric: string,
  value: number,
  tags: Record<string, unknown>,
  type = 'counter',
): MetricLine => ({
  plugin,
  plugin_role: plugin.startsWith('tap') ? 'extractor' : 'loader',
  metric: { type, metric, value, tags },
});

describe('RunMetricsAggregator', () => {
  it('sums counter deltas across periodic reports, per plugin, stream and context', () => {
    const a = new RunMetricsAggregator();
    // The SDK logs each counter every 60 s and resets it: every report is a delta.
    for (const [ctx, n] of [
      [1, 100],
      [1, 100],
      [2, 40],
      [1, 7],
      [2, 3],
    ] as const) {
      a.add(point('tap-x', 'record_count', n, { stream: 'events', context: { account: ctx } }));
    }
    a.add(point('tap-x', 'record_count', 5, { stream: 'accounts' }));
    a.add(point('target-y', 'record_count', 200, { stream: 'events' }));
    a.add(point('target-y', 'record_count', 50, { stream: 'events' }));
    a.add(point('tap-z', 'record_count', 1, { stream: 'events' }));
    const r = a.result();
    expect(r.streams.map((s) => [s.plugin, s.stream, s.records])).toEqual([
      ['tap-x', 'accounts', 5],
      ['tap-x', 'events', 250],
      ['tap-z', 'events', 1],
      ['target-y', 'events', 250],
    ]);
    expect([r.records_extracted, r.records_loaded]).toEqual([256, 250]);
    expect(r.by_stream.find((s) => s.stream === 'events')).toMatchObject({
      records_extracted: 251,
      records_loaded: 250,
    });
  });

  it('resumes from its saved state to the same result as one pass', () => {
    const points = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 0
        ? point(
            'tap-x',
            'http_request_duration',
            (i % 50) / 100,
            { endpoint: `/e${i % 4}`, status: i % 7 ? 'succeeded' : 'failed' },
            'timer',
          )
        : point('tap-x', 'record_count', i, { stream: `s${i % 5}` }),
    );
    const once = new RunMetricsAggregator();
    for (const p of points) once.add(p);
    let state = new RunMetricsAggregator().state();
    for (let i = 0; i < points.length; i += 37) {
      const part = new RunMetricsAggregator(JSON.parse(JSON.stringify(state)));
      for (const p of points.slice(i, i + 37)) part.add(p);
      state = part.state();
    }
    expect(new RunMetricsAggregator(state).result()).toEqual(once.result());
  });

  it('keeps a bounded number of rows: thousands of contexts are one stream, extra streams one overflow row', () => {
    const a = new RunMetricsAggregator();
    for (let i = 0; i < 5000; i += 1)
      a.add(point('tap-x', 'record_count', 1, { stream: 'users', context: { id: i } }));
    for (let i = 0; i < MAX_STREAMS + 100; i += 1)
      a.add(point('tap-x', 'record_count', 2, { stream: `t${i}` }));
    for (let i = 0; i < MAX_ENDPOINTS + 20; i += 1) {
      a.add(point('tap-x', 'http_request_duration', 0.1, { endpoint: `/items/${i}` }, 'timer'));
    }
    const r = a.result();
    expect(r.streams).toHaveLength(MAX_STREAMS + 1);
    expect(r.streams.find((s) => s.stream === 'users')?.records).toBe(5000);
    expect(r.streams.at(-1)).toMatchObject({ overflow: true, stream: null, records: 101 * 2 });
    expect(r.records_extracted).toBe(5000 + (MAX_STREAMS + 100) * 2);
    expect(r.http).toHaveLength(MAX_ENDPOINTS + 1);
    expect(r.http.at(-1)).toMatchObject({ overflow: true, requests: 20 });
    expect(r.overflowed).toEqual({ streams: 101, endpoints: 20, other: 0 });
    expect(JSON.stringify(a.state()).length).toBeLessThan(400_000);
  });
});

describe('duration histogram', () => {
  it('answers p50/p95 within 5% from fixed buckets, exact for one value', () => {
    const h = emptyHistogram();
    addDuration(h, 42);
    expect([percentile(h, 0.5), percentile(h, 0.95)]).toEqual([42, 42]);
    const many = emptyHistogram();
    // 10,000 durations from 1 ms to 10 s.
    for (let i = 1; i <= 10_000; i += 1) addDuration(many, i);
    expect(Object.keys(many.buckets).length).toBeLessThan(100);
    expect(Math.abs((percentile(many, 0.5) ?? 0) - 5000) / 5000).toBeLessThan(0.05);
    expect(Math.abs((percentile(many, 0.95) ?? 0) - 9500) / 9500).toBeLessThan(0.05);
    expect(percentile(emptyHistogram(), 0.5)).toBeNull();
  });
});
