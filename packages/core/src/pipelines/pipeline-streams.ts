import type { StreamSummary } from '../run-metrics/run-metrics.types.js';

/** The stream value of what is beyond the cap (and of a run's own overflow row). */
export const OTHER_STREAMS = '(other)';
/** The stream value of records a metric logged without a stream (Meltano 4 drops the SDK's tags). */
export const UNTAGGED_STREAM = '(untagged)';

export interface StreamRecords {
  stream: string;
  /** Records the extractor counted; null when it reported none for the stream. */
  extracted: number | null;
  /** Records the loader counted; null when it reported none for the stream. */
  loaded: number | null;
}

const add = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : a + b);

/**
 * One pipeline's streams from the latest finished run of each of its state IDs (a job's tap/target
 * pairs each record one), a stream's figures summed across them; sorted by name, at most `max` of them
 * with the rest summed into OTHER_STREAMS (by name, so the same streams keep their series from one
 * run to the next). Parenthesised values cannot clash with a Singer stream name in practice.
 */
export function pipelineStreams(
  runs: readonly (readonly StreamSummary[])[],
  max: number,
): { streams: StreamRecords[]; folded: number } {
  const byName = new Map<string, StreamRecords>();
  let other: StreamRecords | null = null;
  const into = (target: StreamRecords, s: StreamSummary) => {
    target.extracted = add(target.extracted, s.records_extracted);
    target.loaded = add(target.loaded, s.records_loaded);
  };
  for (const run of runs) {
    for (const s of run) {
      if (s.overflow || s.stream === OTHER_STREAMS) {
        other ??= { stream: OTHER_STREAMS, extracted: null, loaded: null };
        into(other, s);
        continue;
      }
      const name = s.stream ?? UNTAGGED_STREAM;
      const found = byName.get(name) ?? { stream: name, extracted: null, loaded: null };
      byName.set(name, found);
      into(found, s);
    }
  }
  const named = [...byName.values()].sort((a, b) => (a.stream < b.stream ? -1 : a.stream > b.stream ? 1 : 0));
  const kept = named.slice(0, max);
  const rest = named.slice(max);
  if (rest.length > 0) {
    other ??= { stream: OTHER_STREAMS, extracted: null, loaded: null };
    for (const s of rest) {
      other.extracted = add(other.extracted, s.extracted);
      other.loaded = add(other.loaded, s.loaded);
    }
  }
  return { streams: other ? [...kept, other] : kept, folded: rest.length };
}
