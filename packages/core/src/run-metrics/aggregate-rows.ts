import type { DurationHistogram } from './duration-histogram.js';
import { percentile } from './duration-histogram.js';
import type { PluginRole } from './metric-line.js';
import type {
  BatchMetrics,
  HttpEndpointMetrics,
  OtherMetric,
  StreamMetrics,
  StreamSummary,
} from './run-metrics.types.js';

// The rows RunMetricsAggregator keeps (its stored state), and how each becomes what the API shows.

export interface Keyed {
  plugin: string;
  role: PluginRole;
  overflow: boolean;
}
export interface StreamAcc extends Keyed {
  stream: string | null;
  records: number | null;
  sync_ms: number | null;
  sync_failed: boolean;
  http_timed: number;
  http_counted: number;
  http_errors: number;
}
export interface HttpAcc extends Keyed {
  endpoint: string | null;
  counted: number;
  errors: number;
  durations: DurationHistogram;
}
export interface BatchAcc extends Keyed {
  stream: string | null;
  counted: number;
  timed: number;
  total_ms: number;
  max_ms: number | null;
}
export interface OtherAcc extends Keyed {
  metric: string;
  type: string;
  points: number;
  total: number;
}

export function streamMetrics(a: StreamAcc): StreamMetrics {
  return {
    plugin: a.plugin,
    plugin_role: a.role,
    stream: a.stream,
    overflow: a.overflow,
    records: a.records,
    sync_duration_ms: a.sync_ms === null ? null : round(a.sync_ms),
    sync_failed: a.sync_failed,
    http_requests: Math.max(a.http_timed, a.http_counted),
    http_errors: a.http_errors,
  };
}

export function httpMetrics(a: HttpAcc): HttpEndpointMetrics {
  const p50 = percentile(a.durations, 0.5);
  const p95 = percentile(a.durations, 0.95);
  return {
    plugin: a.plugin,
    plugin_role: a.role,
    endpoint: a.endpoint,
    overflow: a.overflow,
    requests: Math.max(a.durations.count, a.counted),
    errors: a.errors,
    p50_ms: p50 === null ? null : round(p50),
    p95_ms: p95 === null ? null : round(p95),
    max_ms: a.durations.max_ms === null ? null : round(a.durations.max_ms),
    total_ms: round(a.durations.total_ms),
  };
}

export function batchMetrics(a: BatchAcc): BatchMetrics {
  return {
    plugin: a.plugin,
    plugin_role: a.role,
    stream: a.stream,
    overflow: a.overflow,
    batches: Math.max(a.timed, a.counted),
    duration_ms: round(a.total_ms),
    max_ms: a.max_ms === null ? null : round(a.max_ms),
  };
}

export function otherMetrics(a: OtherAcc): OtherMetric {
  return {
    plugin: a.plugin,
    plugin_role: a.role,
    metric: a.metric,
    type: a.type,
    overflow: a.overflow,
    points: a.points,
    total: round(a.total),
  };
}

/** Rows joined by stream: what the run page's table shows (records out of the tap, into the target). */
export function summarize(streams: StreamMetrics[]): StreamSummary[] {
  const rows = new Map<string, StreamSummary & { extractorSync: number | null }>();
  for (const s of streams) {
    const key = JSON.stringify([s.overflow, s.stream]);
    let row = rows.get(key);
    if (!row) {
      row = {
        stream: s.stream,
        overflow: s.overflow,
        records_extracted: null,
        records_loaded: null,
        sync_duration_ms: null,
        http_requests: 0,
        http_errors: 0,
        extractorSync: null,
      };
      rows.set(key, row);
    }
    if (s.records !== null && s.plugin_role === 'extractor') {
      row.records_extracted = (row.records_extracted ?? 0) + s.records;
    }
    if (s.records !== null && s.plugin_role === 'loader') {
      row.records_loaded = (row.records_loaded ?? 0) + s.records;
    }
    if (s.sync_duration_ms !== null) {
      if (s.plugin_role === 'extractor') row.extractorSync = (row.extractorSync ?? 0) + s.sync_duration_ms;
      row.sync_duration_ms = Math.max(row.sync_duration_ms ?? 0, s.sync_duration_ms);
    }
    row.http_requests += s.http_requests;
    row.http_errors += s.http_errors;
  }
  return [...rows.values()].map(({ extractorSync, ...row }) => ({
    ...row,
    sync_duration_ms: extractorSync ?? row.sync_duration_ms,
  }));
}

export function sumOrNull(streams: StreamMetrics[]): number | null {
  let total: number | null = null;
  for (const s of streams) if (s.records !== null) total = (total ?? 0) + s.records;
  return total;
}

/** Sums of seconds × 1000 carry float noise (0.1 + 0.2); a microsecond is all a log can say. */
function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
