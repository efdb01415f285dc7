import {
  type BatchAcc,
  batchMetrics,
  type HttpAcc,
  httpMetrics,
  type Keyed,
  type OtherAcc,
  otherMetrics,
  type StreamAcc,
  streamMetrics,
  summarize,
  sumOrNull,
} from './aggregate-rows.js';
import { addDuration, emptyHistogram } from './duration-histogram.js';
import type { MetricLine, PluginRole } from './metric-line.js';
import type { RunMetrics } from './run-metrics.types.js';

/** Bump when the aggregate changes meaning: stored states of another format are parsed afresh. */
export const RUN_METRICS_FORMAT = 1;

// Rows kept per run. A tap with thousands of streams or partitions must not make a run's row (or
// the memory holding it) grow without bound; points beyond these go to one overflow row per plugin.
export const MAX_STREAMS = 500;
export const MAX_ENDPOINTS = 100;
export const MAX_OTHER = 50;

/** Everything needed to go on adding points later: plain JSON, stored with the run. */
export interface RunMetricsAggregatorState {
  format: typeof RUN_METRICS_FORMAT;
  metric_lines: number;
  streams: StreamAcc[];
  http: HttpAcc[];
  batches: BatchAcc[];
  other: OtherAcc[];
  overflowed: { streams: number; endpoints: number; other: number };
}

const ROLE_ORDER: PluginRole[] = ['extractor', 'mapper', 'loader', 'transformer', 'utility'];

/**
 * Adds up one run's metric points. Counters are deltas (singer-python and the SDK log a counter's
 * value and reset it to zero, every 60 s and at the end), so a stream's records are the sum of its
 * reports, over every context (SDK partition) too; timers are one point per timed thing.
 */
export class RunMetricsAggregator {
  private readonly s: RunMetricsAggregatorState;
  private readonly index = new Map<string, Keyed>();
  /** Rows per kind that are not overflow rows, counted on first need. */
  private readonly kept: Record<string, number> = {};

  constructor(state?: RunMetricsAggregatorState) {
    this.s = state ? structuredClone(state) : emptyState();
    for (const a of this.s.streams) this.index.set(keyOf('s', a.plugin, a.role, a.overflow, a.stream), a);
    for (const a of this.s.http) this.index.set(keyOf('h', a.plugin, a.role, a.overflow, a.endpoint), a);
    for (const a of this.s.batches) this.index.set(keyOf('b', a.plugin, a.role, a.overflow, a.stream), a);
    for (const a of this.s.other) {
      const name = a.overflow ? null : `${a.metric}\u0000${a.type}`;
      this.index.set(keyOf('o', a.plugin, a.role, a.overflow, name), a);
    }
  }

  /** A copy of the state, to store and resume from. */
  state(): RunMetricsAggregatorState {
    return structuredClone(this.s);
  }

  add(line: MetricLine): void {
    const { metric } = line;
    const tags = metric.tags;
    this.s.metric_lines += 1;
    const stream = streamOf(metric.metric, tags);
    const ms = metric.value * 1000;
    switch (metric.metric) {
      case 'record_count': {
        const acc = this.stream(line, stream);
        acc.records = (acc.records ?? 0) + metric.value;
        return;
      }
      case 'sync_duration': {
        const acc = this.stream(line, stream);
        acc.sync_ms = (acc.sync_ms ?? 0) + ms;
        if (tags.status === 'failed') acc.sync_failed = true;
        return;
      }
      case 'http_request_duration': {
        const failed = tags.status === 'failed' || Number(tags.http_status_code) >= 400;
        const http = this.http(line, textOf(tags.endpoint));
        addDuration(http.durations, ms);
        if (failed) http.errors += 1;
        if (stream !== null) {
          const acc = this.stream(line, stream);
          acc.http_timed += 1;
          if (failed) acc.http_errors += 1;
        }
        return;
      }
      case 'http_request_count': {
        this.http(line, textOf(tags.endpoint)).counted += metric.value;
        if (stream !== null) this.stream(line, stream).http_counted += metric.value;
        return;
      }
      case 'batch_processing_time': {
        const acc = this.batch(line, stream);
        acc.timed += 1;
        acc.total_ms += ms;
        acc.max_ms = acc.max_ms === null ? ms : Math.max(acc.max_ms, ms);
        return;
      }
      case 'batch_count': {
        this.batch(line, stream).counted += metric.value;
        return;
      }
      default: {
        const acc = this.other(line);
        acc.points += 1;
        acc.total += metric.type === 'timer' ? ms : metric.value;
      }
    }
  }

  result(): RunMetrics {
    const streams = [...this.s.streams].sort(byKeys((a) => a.stream)).map(streamMetrics);
    const records = (role: PluginRole) => sumOrNull(streams.filter((s) => s.plugin_role === role));
    return {
      streams,
      by_stream: summarize(streams),
      http: [...this.s.http].sort(byKeys((a) => a.endpoint)).map(httpMetrics),
      batches: [...this.s.batches].sort(byKeys((a) => a.stream)).map(batchMetrics),
      other: [...this.s.other].sort(byKeys((a) => `${a.metric} ${a.type}`)).map(otherMetrics),
      records_extracted: records('extractor'),
      records_loaded: records('loader'),
      metric_lines: this.s.metric_lines,
      overflowed: { ...this.s.overflowed },
    };
  }

  private stream(line: MetricLine, stream: string | null): StreamAcc {
    return this.find('s', line, stream, this.s.streams, MAX_STREAMS, 'streams', (overflow) => ({
      ...keyed(line, overflow),
      stream: overflow ? null : stream,
      records: null,
      sync_ms: null,
      sync_failed: false,
      http_timed: 0,
      http_counted: 0,
      http_errors: 0,
    }));
  }

  private http(line: MetricLine, endpoint: string | null): HttpAcc {
    return this.find('h', line, endpoint, this.s.http, MAX_ENDPOINTS, 'endpoints', (overflow) => ({
      ...keyed(line, overflow),
      endpoint: overflow ? null : endpoint,
      counted: 0,
      errors: 0,
      durations: emptyHistogram(),
    }));
  }

  private batch(line: MetricLine, stream: string | null): BatchAcc {
    return this.find('b', line, stream, this.s.batches, MAX_STREAMS, 'streams', (overflow) => ({
      ...keyed(line, overflow),
      stream: overflow ? null : stream,
      counted: 0,
      timed: 0,
      total_ms: 0,
      max_ms: null,
    }));
  }

  private other(line: MetricLine): OtherAcc {
    const name = `${line.metric.metric}\u0000${line.metric.type}`;
    return this.find('o', line, name, this.s.other, MAX_OTHER, 'other', (overflow) => ({
      ...keyed(line, overflow),
      metric: overflow ? '' : line.metric.metric,
      type: overflow ? '' : line.metric.type,
      points: 0,
      total: 0,
    }));
  }

  /**
   * The row of this kind, plugin and name; a new one past `limit` rows lands in the plugin's
   * overflow row. Rows are made only when missing: this runs once per METRIC line.
   */
  private find<T extends Keyed>(
    kind: string,
    line: MetricLine,
    name: string | null,
    rows: T[],
    limit: number,
    counter: keyof RunMetricsAggregatorState['overflowed'],
    make: (overflow: boolean) => T,
  ): T {
    const key = keyOf(kind, line.plugin, line.plugin_role, false, name);
    const found = this.index.get(key) as T | undefined;
    if (found) return found;
    if (this.kept[kind] === undefined) this.kept[kind] = rows.filter((r) => !r.overflow).length;
    if ((this.kept[kind] ?? 0) < limit) {
      this.kept[kind] = (this.kept[kind] ?? 0) + 1;
      return this.insert(rows, key, make(false));
    }
    this.s.overflowed[counter] += 1;
    const spillKey = keyOf(kind, line.plugin, line.plugin_role, true, null);
    return (this.index.get(spillKey) as T | undefined) ?? this.insert(rows, spillKey, make(true));
  }

  private insert<T extends Keyed>(rows: T[], key: string, acc: T): T {
    rows.push(acc);
    this.index.set(key, acc);
    return acc;
  }
}

function emptyState(): RunMetricsAggregatorState {
  return {
    format: RUN_METRICS_FORMAT,
    metric_lines: 0,
    streams: [],
    http: [],
    batches: [],
    other: [],
    overflowed: { streams: 0, endpoints: 0, other: 0 },
  };
}

function keyed(line: MetricLine, overflow: boolean): Keyed {
  return { plugin: line.plugin, role: line.plugin_role, overflow };
}

function keyOf(kind: string, plugin: string, role: string, overflow: boolean, name: string | null): string {
  return `${kind}\u0000${plugin}\u0000${role}\u0000${overflow ? 1 : 0}\u0000${name === null ? '\u0001' : name}`;
}

/**
 * The stream a point belongs to: the SDK's `stream` tag; singer-python has none and tags its
 * record counts with the `endpoint` it read, which is its stream in practice.
 */
function streamOf(metric: string, tags: Record<string, unknown>): string | null {
  return textOf(tags.stream) ?? (metric === 'record_count' ? textOf(tags.endpoint) : null);
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** Extractors first, then by plugin, then by the row's own name (overflow rows last). */
function byKeys<T extends Keyed>(name: (row: T) => string | null) {
  return (a: T, b: T): number => {
    const role = ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role);
    if (role !== 0) return role;
    if (a.plugin !== b.plugin) return a.plugin < b.plugin ? -1 : 1;
    if (a.overflow !== b.overflow) return a.overflow ? 1 : -1;
    const an = name(a) ?? '';
    const bn = name(b) ?? '';
    return an < bn ? -1 : an > bn ? 1 : 0;
  };
}
