/**
 * Durations (ms) in fixed logarithmic buckets, so a percentile needs bounded memory however many
 * requests a run makes: each bucket is 10% wider than the one below, from 1 ms up (everything under
 * 1 ms shares bucket 0), so about 160 buckets cover an hour and a percentile read from a bucket's
 * geometric middle is within 5% of the true value. Buckets are kept sparse (only those hit), and
 * the exact min and max clamp the answer, so one request reports its own duration.
 */
export interface DurationHistogram {
  count: number;
  total_ms: number;
  min_ms: number | null;
  max_ms: number | null;
  /** Bucket index → count. */
  buckets: Record<string, number>;
}

const GROWTH = 1.1;
const LOG_GROWTH = Math.log(GROWTH);
// A duration beyond a day is a broken clock, not a request; it shares the last bucket.
const MAX_BUCKET = Math.ceil(Math.log(86_400_000) / LOG_GROWTH);

export function emptyHistogram(): DurationHistogram {
  return { count: 0, total_ms: 0, min_ms: null, max_ms: null, buckets: {} };
}

export function addDuration(h: DurationHistogram, ms: number): void {
  if (!Number.isFinite(ms) || ms < 0) return;
  h.count += 1;
  h.total_ms += ms;
  h.min_ms = h.min_ms === null ? ms : Math.min(h.min_ms, ms);
  h.max_ms = h.max_ms === null ? ms : Math.max(h.max_ms, ms);
  const key = String(bucketOf(ms));
  h.buckets[key] = (h.buckets[key] ?? 0) + 1;
}

/** The `p`-th percentile (0 < p ≤ 1) by nearest rank; null for an empty histogram. */
export function percentile(h: DurationHistogram, p: number): number | null {
  if (h.count === 0 || h.min_ms === null || h.max_ms === null) return null;
  const rank = Math.max(1, Math.ceil(p * h.count));
  const indexes = Object.keys(h.buckets)
    .map(Number)
    .sort((a, b) => a - b);
  let seen = 0;
  for (const index of indexes) {
    seen += h.buckets[String(index)] ?? 0;
    if (seen >= rank) return clamp(middleOf(index), h.min_ms, h.max_ms);
  }
  return h.max_ms;
}

function bucketOf(ms: number): number {
  if (ms < 1) return 0;
  return Math.min(MAX_BUCKET, 1 + Math.floor(Math.log(ms) / LOG_GROWTH));
}

/** Bucket i ≥ 1 holds [GROWTH^(i-1), GROWTH^i) ms. */
function middleOf(index: number): number {
  if (index === 0) return 0.5;
  return GROWTH ** (index - 0.5);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
