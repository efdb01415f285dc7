import { MAX_CHART_STREAMS } from '@meltano-ui/core';
import { Type } from 'typebox';
import { Nullable, StringEnum, Timestamp } from './common.js';
import { RunStatus } from './run.js';

const PluginRole = StringEnum(['extractor', 'loader', 'mapper', 'transformer', 'utility'], {
  description: 'What the plugin that logged it is, from Meltano’s line context',
});
const Overflow = Type.Boolean({
  description: 'The row that sums what is past the per-run limit (500 streams, 100 endpoints, 50 others)',
});
const Stream = Nullable(
  Type.String({ description: 'Null when the metric named no stream (Meltano 4 drops the SDK’s tags)' }),
);

/** GET /runs/{id}/metrics: what a run's Singer METRIC lines add up to (core run-metrics). */
export const RunMetrics = Type.Object(
  {
    streams: Type.Array(
      Type.Object({
        plugin: Type.String(),
        plugin_role: PluginRole,
        stream: Stream,
        overflow: Overflow,
        records: Nullable(Type.Integer({ description: 'Sum of record_count; null when none was logged' })),
        sync_duration_ms: Nullable(Type.Number()),
        sync_failed: Type.Boolean(),
        http_requests: Type.Integer(),
        http_errors: Type.Integer(),
      }),
      { description: 'Per plugin and stream, its contexts (partitions) summed' },
    ),
    by_stream: Type.Array(
      Type.Object({
        stream: Stream,
        overflow: Overflow,
        records_extracted: Nullable(Type.Integer()),
        records_loaded: Nullable(Type.Integer()),
        sync_duration_ms: Nullable(Type.Number()),
        http_requests: Type.Integer(),
        http_errors: Type.Integer(),
      }),
      { description: 'One row per stream: records out of the tap beside records into the target' },
    ),
    http: Type.Array(
      Type.Object({
        plugin: Type.String(),
        plugin_role: PluginRole,
        endpoint: Nullable(Type.String()),
        overflow: Overflow,
        requests: Type.Integer(),
        errors: Type.Integer({ description: 'Requests that failed or answered 400 or more' }),
        p50_ms: Nullable(Type.Number({ description: 'Within 5% (a log-scale histogram)' })),
        p95_ms: Nullable(Type.Number()),
        max_ms: Nullable(Type.Number()),
        total_ms: Type.Number(),
      }),
    ),
    batches: Type.Array(
      Type.Object({
        plugin: Type.String(),
        plugin_role: PluginRole,
        stream: Stream,
        overflow: Overflow,
        batches: Type.Integer(),
        duration_ms: Type.Number(),
        max_ms: Nullable(Type.Number()),
      }),
    ),
    other: Type.Array(
      Type.Object({
        plugin: Type.String(),
        plugin_role: PluginRole,
        metric: Type.String(),
        type: Type.String(),
        overflow: Overflow,
        points: Type.Integer(),
        total: Type.Number(),
      }),
      { description: 'Metrics with no place above (job_duration, a tap’s own)' },
    ),
    records_extracted: Nullable(Type.Integer({ description: 'Null when no extractor logged record_count' })),
    records_loaded: Nullable(Type.Integer({ description: 'Null when no loader logged record_count' })),
    metric_lines: Type.Integer(),
    overflowed: Type.Object({ streams: Type.Integer(), endpoints: Type.Integer(), other: Type.Integer() }),
    log: Nullable(
      Type.Object({
        offset: Type.Integer({ description: 'Bytes read so far (whole lines)' }),
        size: Type.Integer(),
        mtime: Timestamp,
      }),
      { description: 'How far the run’s elt.log was read; null when it has no log' },
    ),
    complete: Type.Boolean({ description: 'The run has ended and its whole log is counted: final figures' }),
    computed_at: Timestamp,
  },
  { $id: 'RunMetrics' },
);

/** GET /runs/records-by-stream: records per stream of a pipeline's recent runs (a stacked chart). */
export const StreamRecords = Type.Object(
  {
    streams: Type.Array(Stream, {
      description: `The streams that moved the most over these runs, most first (at most ${MAX_CHART_STREAMS})`,
    }),
    other_streams: Type.Integer({ description: 'Streams summed into each run’s `other`' }),
    runs: Type.Array(
      Type.Object({
        id: Type.Integer(),
        started_at: Nullable(Timestamp),
        status: RunStatus,
        known: Type.Boolean({
          description: 'Its figures are stored; false until the background reader has read its log',
        }),
        counted: Nullable(StringEnum(['extracted', 'loaded']), {
          description:
            'Records out of the tap, or into the target when the tap logged none; null: neither did',
        }),
        counts: Type.Array(Nullable(Type.Integer()), { description: 'Per stream of `streams`, in order' }),
        other: Type.Integer(),
        total: Nullable(Type.Integer()),
      }),
      { description: 'Newest first, as /runs lists them' },
    ),
  },
  { $id: 'StreamRecords' },
);
