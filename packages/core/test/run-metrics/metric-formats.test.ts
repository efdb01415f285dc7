import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type PluginSources, pluginSources } from '../../src/logs/meltano-log-line.js';
import { parseMetricLine } from '../../src/run-metrics/metric-line.js';
import { readRunMetrics } from '../../src/run-metrics/read-run-metrics.js';
import { parseSingerMetric } from '../../src/run-metrics/singer-metric.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const fixture = (name: string) => path.join(FIXTURES, name);
const NO_PLUGINS: PluginSources = new Map();

describe('parseSingerMetric', () => {
  it('reads singer-python, SDK ≤ 0.22, the SDK with and without its prefix, and SDK 0.6 repr', () => {
    const want = { type: 'counter', metric: 'record_count', value: 12, tags: { endpoint: 'users' } };
    expect(
      parseSingerMetric(
        'INFO METRIC: {"type": "counter", "metric": "record_count", "value": 12, "tags": {"endpoint": "users"}}',
      ),
    ).toEqual(want);
    expect(
      parseSingerMetric(
        'INFO METRIC: {"metric_type": "counter", "metric": "record_count", "value": 12, "tags": {"endpoint": "users"}}',
      ),
    ).toEqual(want);
    expect(
      parseSingerMetric(
        '2024-01-01 10:00:00,123 | INFO | singer_sdk.metrics | METRIC: {"type": "counter", "metric": "record_count", "value": 5, "tags": {"stream": "users", "context": {"id": 1}, "pid": 123}}',
      ),
    ).toEqual({
      type: 'counter',
      metric: 'record_count',
      value: 5,
      tags: { stream: 'users', context: { id: 1 }, pid: 123 },
    });
    expect(
      parseSingerMetric('METRIC {"type":"timer","metric":"sync_duration","value":1.5,"tags":{}}'),
    ).toEqual({
      type: 'timer',
      metric: 'sync_duration',
      value: 1.5,
      tags: {},
    });
    expect(
      parseSingerMetric(
        "message=INFO METRIC: {'type': 'counter', 'metric': 'record_count', 'value': 0, 'tags': {'stream': 'test', 'context': None, 'x': True}}",
      ),
    ).toEqual({
      type: 'counter',
      metric: 'record_count',
      value: 0,
      tags: { stream: 'test', context: null, x: true },
    });
  });

  it("reads Meltano 4's structured rendering, which keeps only the name and the value", () => {
    expect(
      parseSingerMetric('METRIC                         metric_name=record_count metric_value=136'),
    ).toEqual({
      type: 'counter',
      metric: 'record_count',
      value: 136,
      tags: {},
    });
    expect(
      parseSingerMetric('METRIC  metric_name=http_request_duration metric_value=0.25 name=tap-x'),
    ).toEqual({
      type: 'timer',
      metric: 'http_request_duration',
      value: 0.25,
      tags: {},
    });
  });

  it('ignores lines that only mention METRIC, and points without a numeric value', () => {
    expect(parseSingerMetric('INFO Emitted record METRICS_TABLE id=4')).toBeNull();
    expect(
      parseSingerMetric('INFO METRIC: {"type": "counter", "metric": "record_count", "value": "x"}'),
    ).toBeNull();
    expect(parseSingerMetric('INFO METRIC: {"type": "counter", "metric": "record_c')).toBeNull();
    expect(parseSingerMetric('METRIC metric_name=record_count')).toBeNull();
  });
});

describe('parseMetricLine', () => {
  it("names the writer from Meltano's wrapping of each version", () => {
    const v3 =
      '2026-11-21T04:36:34.560171Z [info     ] METRIC: {"type":"counter","metric":"record_count","value":1,"tags":{}} cmd_type=elb consumer=True job_name=dev:a-to-b name=target-b producer=False run_id=01a1fc64-4d97-7a11-a76c-ee7563aa2aaf stdio=stderr string_id=target-b';
    expect(parseMetricLine(v3, NO_PLUGINS)).toMatchObject({ plugin: 'target-b', plugin_role: 'loader' });
    const mapper = v3.replace('producer=False', 'producer=True');
    expect(parseMetricLine(mapper, NO_PLUGINS)).toMatchObject({ plugin_role: 'mapper' });
    const v40 =
      '2025-10-20T09:15:02.204022Z [info     ] METRIC                         metric_name=record_count metric_value=3 name=my-source';
    expect(parseMetricLine(v40, pluginSources([{ type: 'extractors', name: 'my-source' }]))).toMatchObject({
      plugin: 'my-source',
      plugin_role: 'extractor',
    });
    // A plugin the project no longer lists: Hub's tap-/target- naming says its role.
    const v42 =
      '2026-11-21T04:39:48.424106Z [info     ] target-gone  METRIC   metric_name=record_count metric_value=3';
    expect(parseMetricLine(v42, NO_PLUGINS)).toMatchObject({ plugin: 'target-gone', plugin_role: 'loader' });
    expect(
      parseMetricLine(
        '2026-11-21T04:39:48.424106Z [info     ] meltano      METRIC metric_name=x metric_value=1',
        NO_PLUGINS,
      ),
    ).toBeNull();
    expect(
      parseMetricLine('METRIC: {"type":"counter","metric":"record_count","value":1}', NO_PLUGINS),
    ).toBeNull();
  });
});

describe('fixture logs of every format', () => {
  const read = (name: string, plugins = NO_PLUGINS) =>
    readRunMetrics(fixture(name), { plugins, complete: true }).then((r) => r.metrics);

  it('singer-python under Meltano 2.20 `meltano elt`: counts by endpoint, HTTP errors by status', async () => {
    const m = await read('singer-python.meltano-2.20-elt.log');
    expect(m.metric_lines).toBe(8);
    expect(m.streams.map((s) => [s.plugin, s.plugin_role, s.stream, s.records])).toEqual([
      ['tap-stripe', 'extractor', 'charges', 137],
      ['tap-stripe', 'extractor', 'customers', 12],
    ]);
    expect(m.records_extracted).toBe(149);
    expect(m.records_loaded).toBeNull();
    expect(m.http.map((h) => [h.endpoint, h.requests, h.errors])).toEqual([
      ['charges', 2, 0],
      ['customers', 2, 1],
    ]);
    expect(m.http[1]).toMatchObject({ p50_ms: 251, p95_ms: 1204, max_ms: 1204 });
    expect(m.other).toEqual([
      expect.objectContaining({
        plugin: 'tap-stripe',
        metric: 'job_duration',
        type: 'timer',
        points: 1,
        total: 4500,
      }),
    ]);
  });

  it('SDK ≤ 0.22 (`metric_type`) behind its own prefix: contexts summed into their stream', async () => {
    const m = await read('sdk-0.22-metric-type.meltano-3.9-el.log');
    expect(
      m.streams.map((s) => [s.stream, s.records, s.sync_duration_ms, s.http_requests, s.http_errors]),
    ).toEqual([
      ['merge_requests', 57, 2500, 0, 0],
      ['projects', 75, 3500, 0, 0],
    ]);
    expect(m.records_extracted).toBe(132);
    expect(m.http.map((h) => [h.endpoint, h.requests, h.errors])).toEqual([
      ['/projects', 3, 0],
      ['/projects/{project_id}/merge_requests', 4, 1],
    ]);
  });

  it('the current SDK with its prefix in `meltano run`: tap and target, batches, p50/p95', async () => {
    const m = await read('sdk-prefixed.meltano-3.9-run.log');
    expect(m.streams.map((s) => [s.plugin, s.stream, s.records, s.sync_duration_ms, s.sync_failed])).toEqual([
      ['tap-github', 'repositories', 20, 2125, false],
      ['tap-github', 'users', 12, 1000, true],
      ['target-postgres', 'repositories', 20, null, false],
      ['target-postgres', 'users', 12, null, false],
    ]);
    expect([m.records_extracted, m.records_loaded]).toEqual([32, 32]);
    const repos = m.http.find((h) => h.endpoint === '/orgs/{org}/repos');
    // 20 requests of 10, 20, … 200 ms: nearest-rank p50 = 100 ms, p95 = 190 ms (buckets are 10% wide).
    expect(repos).toMatchObject({ requests: 20, errors: 0, max_ms: 200, total_ms: 2100 });
    expect(repos?.p50_ms).toBeGreaterThan(95);
    expect(repos?.p50_ms).toBeLessThan(105);
    expect(repos?.p95_ms).toBeGreaterThan(180.5);
    expect(repos?.p95_ms).toBeLessThanOrEqual(200);
    expect(m.http.find((h) => h.endpoint === '/users/{id}')).toMatchObject({
      requests: 1,
      errors: 1,
      p50_ms: 500,
    });
    expect(m.streams.find((s) => s.stream === 'users' && s.plugin === 'tap-github')).toMatchObject({
      http_requests: 1,
      http_errors: 1,
    });
    expect(m.batches.map((b) => [b.plugin, b.stream, b.batches, b.duration_ms, b.max_ms])).toEqual([
      ['target-postgres', 'repositories', 1, 120, 120],
      ['target-postgres', 'users', 2, 280, 200],
    ]);
    expect(m.by_stream).toEqual([
      {
        stream: 'repositories',
        overflow: false,
        records_extracted: 20,
        records_loaded: 20,
        sync_duration_ms: 2125,
        http_requests: 20,
        http_errors: 0,
      },
      {
        stream: 'users',
        overflow: false,
        records_extracted: 12,
        records_loaded: 12,
        sync_duration_ms: 1000,
        http_requests: 1,
        http_errors: 1,
      },
    ]);
  });

  it("the SDK's bare message (Meltano ≥ 3.7), `METRIC {…}` too, with a mapper between", async () => {
    const m = await read('sdk-bare.meltano-3.9-run.log');
    expect(m.streams.map((s) => [s.plugin, s.plugin_role, s.records])).toEqual([
      ['tap-postgres', 'extractor', 2234],
      ['meltano-map-transformer', 'mapper', 2234],
      ['target-snowflake', 'loader', 2234],
    ]);
    expect([m.records_extracted, m.records_loaded]).toEqual([2234, 2234]);
    expect(m.streams[0]?.sync_duration_ms).toBe(121_500);
    expect(m.batches).toEqual([
      expect.objectContaining({ plugin: 'target-snowflake', batches: 1, duration_ms: 12_500 }),
    ]);
  });

  it("Meltano 4.0's structured form (`name=` last): totals without streams", async () => {
    const m = await read('structured.meltano-4.0-el.log');
    expect(m.streams.map((s) => [s.plugin, s.plugin_role, s.stream, s.records, s.sync_duration_ms])).toEqual([
      ['tap-x', 'extractor', null, 136, 4250],
      ['target-y', 'loader', null, 136, null],
    ]);
    expect([m.records_extracted, m.records_loaded]).toEqual([136, 136]);
    expect(m.http).toEqual([
      expect.objectContaining({ plugin: 'tap-x', endpoint: null, requests: 2, errors: 0 }),
    ]);
    expect(m.batches).toEqual([expect.objectContaining({ plugin: 'target-y', stream: null, batches: 1 })]);
  });

  it("Meltano ≥ 4.1's name column: roles from the project, else from the plugin's name", async () => {
    const plugins = pluginSources([
      { type: 'extractors', name: 'tap-x' },
      { type: 'loaders', name: 'target-legacy-csv' },
    ]);
    for (const p of [plugins, NO_PLUGINS]) {
      const m = await read('structured.meltano-4.2-el.log', p);
      expect(m.streams.map((s) => [s.plugin, s.plugin_role, s.stream, s.records])).toEqual([
        ['tap-x', 'extractor', null, 136],
        ['target-legacy-csv', 'loader', 'users', 136],
      ]);
      expect(m.http[0]).toMatchObject({ requests: 1, p50_ms: 500, p95_ms: 500 });
    }
  });

  it("SDK 0.6's Python repr inside its `time=… message=…` format", async () => {
    const m = await read('sdk-0.6-python-repr.meltano-2.20-elt.log');
    expect(m.streams).toEqual([
      expect.objectContaining({
        plugin: 'tap-tabular-sftp',
        stream: 'test',
        records: 41,
        sync_duration_ms: 1250,
      }),
    ]);
  });
});
