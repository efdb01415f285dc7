import type { PluginRole } from './metric-line.js';

/**
 * What the Singer METRIC lines of one run's elt.log add up to. Property names are snake_case: they
 * reach the API unchanged (`GET /api/v1/runs/{id}/metrics`). Durations are milliseconds.
 */
export interface RunMetrics {
  /** Per plugin and stream, contexts (partitions) summed into their stream. */
  streams: StreamMetrics[];
  /** The same figures joined by stream name: the tap's row beside the target's. */
  by_stream: StreamSummary[];
  /** Per plugin and endpoint. */
  http: HttpEndpointMetrics[];
  /** Per plugin and stream that reported batches (`batch_processing_time`, `batch_count`). */
  batches: BatchMetrics[];
  /** Metrics without a place above (`job_duration`, a tap's own), per plugin, metric and type. */
  other: OtherMetric[];
  /** Sum of extractors' `record_count`; null when no extractor reported one. */
  records_extracted: number | null;
  /** Sum of loaders' `record_count`; null when no loader reported one. */
  records_loaded: number | null;
  /** METRIC lines counted. */
  metric_lines: number;
  /**
   * Points folded into an `overflow` row because the run had more streams or endpoints than are
   * kept per run (their figures still count in every total).
   */
  overflowed: { streams: number; endpoints: number; other: number };
}

export interface StreamMetrics {
  plugin: string;
  plugin_role: PluginRole;
  /** Null when the metric carried no stream (Meltano 4 drops the tags of structured SDK logs). */
  stream: string | null;
  /** True for the row that holds the streams beyond the per-run limit. */
  overflow: boolean;
  /** Sum of `record_count` deltas; null when the stream reported none (only timers). */
  records: number | null;
  /** Sum of `sync_duration` over its contexts; null when not reported. */
  sync_duration_ms: number | null;
  /** A `sync_duration` said `status: failed`. */
  sync_failed: boolean;
  http_requests: number;
  http_errors: number;
}

export interface StreamSummary {
  stream: string | null;
  overflow: boolean;
  /** From extractors; null when none reported records for this stream. */
  records_extracted: number | null;
  /** From loaders; null when none reported records for this stream. */
  records_loaded: number | null;
  /** The extractor's sync duration, else any plugin's. */
  sync_duration_ms: number | null;
  http_requests: number;
  http_errors: number;
}

export interface HttpEndpointMetrics {
  plugin: string;
  plugin_role: PluginRole;
  /** The endpoint tag (the SDK's path template, singer-python's endpoint name); null when untagged. */
  endpoint: string | null;
  overflow: boolean;
  /** Timed requests, or the `http_request_count` sum when that is larger. */
  requests: number;
  /** Timed requests with `status: failed` or an HTTP status of 400 or more. */
  errors: number;
  p50_ms: number | null;
  p95_ms: number | null;
  max_ms: number | null;
  total_ms: number;
}

export interface BatchMetrics {
  plugin: string;
  plugin_role: PluginRole;
  stream: string | null;
  overflow: boolean;
  /** Timed batches, or the `batch_count` sum when that is larger. */
  batches: number;
  duration_ms: number;
  max_ms: number | null;
}

export interface OtherMetric {
  plugin: string;
  plugin_role: PluginRole;
  metric: string;
  type: string;
  overflow: boolean;
  /** Points logged. */
  points: number;
  /** Sum of their values (ms for timers). */
  total: number;
}

/** What lists show per run, from the stored row without reading any log. */
export interface RunRecords {
  records_extracted: number | null;
  records_loaded: number | null;
}
