import type { RunView } from '../runs/run.types.js';
import type { StreamSummary } from './run-metrics.types.js';

/** Streams a chart tells apart; the rest are summed as "other streams". */
export const MAX_CHART_STREAMS = 10;

/** One run's records per stream, in the order of `StreamRecordSeries.streams`. */
export interface StreamRecordRun {
  id: number;
  started_at: string | null;
  status: RunView['status'];
  /** Its figures are stored (its log was read); false until the background reader gets to it. */
  known: boolean;
  /**
   * Which count the figures are: records out of the tap, or into the target when the tap logged none
   * (a tap without Singer metrics); null when neither did.
   */
  counted: 'extracted' | 'loaded' | null;
  /** Per stream of `streams`; null when the run did not report that stream. */
  counts: (number | null)[];
  /** The streams past `streams`, summed. */
  other: number;
  /** Null when nothing was counted. */
  total: number | null;
}

export interface StreamRecordSeries {
  /** The streams that moved the most over these runs, most first; null is a metric without a stream tag. */
  streams: (string | null)[];
  /** Streams summed into each run's `other`. */
  other_streams: number;
  runs: StreamRecordRun[];
}

/** Records per stream per run, for a stacked chart: streams ranked by what they moved in all runs. */
export function streamRecordSeries(
  runs: readonly RunView[],
  byRun: ReadonlyMap<number, readonly StreamSummary[]>,
  maxStreams = MAX_CHART_STREAMS,
): StreamRecordSeries {
  const counted = runs.map((run) => countedOf(byRun.get(run.id)));
  const totals = new Map<string | null, number>();
  let overflowed = false;
  for (const c of counted) {
    for (const [stream, n] of c.perStream) totals.set(stream, (totals.get(stream) ?? 0) + n);
    overflowed ||= c.overflow > 0;
  }
  const ranked = [...totals].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])));
  const streams = ranked.slice(0, maxStreams).map(([stream]) => stream);
  const shown = new Set(streams);
  return {
    streams,
    other_streams: ranked.length - streams.length + (overflowed ? 1 : 0),
    runs: runs.map((run, i) => {
      const c = counted[i] ?? countedOf(undefined);
      let other = c.overflow;
      for (const [stream, n] of c.perStream) if (!shown.has(stream)) other += n;
      return {
        id: run.id,
        started_at: run.started_at,
        status: run.status,
        known: byRun.has(run.id),
        counted: c.counted,
        counts: streams.map((stream) => c.perStream.get(stream) ?? null),
        other,
        total: c.total,
      };
    }),
  };
}

function countedOf(rows: readonly StreamSummary[] | undefined) {
  const perStream = new Map<string | null, number>();
  const all = rows ?? [];
  const which: 'extracted' | 'loaded' | null = all.some((r) => r.records_extracted !== null)
    ? 'extracted'
    : all.some((r) => r.records_loaded !== null)
      ? 'loaded'
      : null;
  let overflow = 0;
  let total: number | null = null;
  for (const row of all) {
    const n = which === 'extracted' ? row.records_extracted : which === 'loaded' ? row.records_loaded : null;
    if (n === null) continue;
    total = (total ?? 0) + n;
    if (row.overflow) overflow += n;
    else perStream.set(row.stream, (perStream.get(row.stream) ?? 0) + n);
  }
  return { perStream, overflow, total, counted: which };
}
