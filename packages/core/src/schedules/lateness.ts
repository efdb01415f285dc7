import type { Cron } from 'croner';
import { intervalCron } from './interval.js';

/**
 * Whether a schedule's orchestrator is still starting it. An orchestrator that stopped (Airflow's
 * scheduler down, a cron line deleted) writes nothing, so only the missing runs tell: every expected
 * start since the latest run that no run met within the grace window is a missed one.
 *
 * Meltano evaluates cron in UTC (`meltano schedule list`, the Airflow DAG generator), so the expected
 * starts are UTC instants and no daylight saving change ever moves, skips or repeats one.
 */
export type LatenessStatus = 'on_time' | 'late' | 'not_applicable';

export interface Lateness {
  status: LatenessStatus;
  /**
   * ISO 8601 UTC. Late: the earliest expected start no run met. On time: the next start that is due
   * (one still inside its grace window, else the next fire time). Null when not applicable, or on
   * time with no fire time left.
   */
  expected_at: string | null;
  /** Expected starts whose grace window has passed without a run (at most MAX_COUNTED_MISSES). */
  missed: number;
  /** True when counting stopped at MAX_COUNTED_MISSES: at least that many were missed. */
  missed_capped: boolean;
  /** The grace window applied after `expected_at`, in seconds; null when not applicable. */
  grace_seconds: number | null;
  /**
   * What expected starts are counted from: the latest run's start, or `start_date` when it is later
   * or there is no run. Null: neither is known, so nothing counts as missed yet.
   */
  since: string | null;
  /** Why the schedule is never late; null when it can be. */
  not_applicable_reason: 'no_cron' | 'invalid_interval' | 'not_orchestrated' | null;
}

export interface LatenessInput {
  /** As written in meltano.yml (`@daily`, a cron, `@once`, `@manual`, …). */
  interval: string | null;
  /** The schedule's `start_date` (v2/v3); a value without a zone is UTC, as Meltano reads it. */
  startDate: string | null;
  /** False for schedules marked `annotations: {meltano-ui: {orchestrated: false}}`. */
  orchestrated: boolean;
  /** Start times of the latest runs of the schedule's state IDs, any order (nulls ignored). */
  runStarts: readonly (string | Date | null)[];
  now: Date;
  /** `ui.schedule_grace` in seconds; null: 10% of the interval, at least MIN_GRACE_SECONDS. */
  graceSeconds?: number | null;
}

/**
 * Counting stops here ("100+ missed" says as much as an exact count): a `* * * * *` schedule silent for
 * a year would otherwise step 500k times, and each step is a cron evaluation (~7 µs).
 */
export const MAX_COUNTED_MISSES = 100;
export const MIN_GRACE_SECONDS = 5 * 60;
const DEFAULT_GRACE_FRACTION = 0.1;
/**
 * A run that starts up to this long (and less than a quarter interval) before its fire time still
 * meets it: the orchestrator's clock and the one stamping `runs.started_at` (the CLI's host) may
 * disagree by a little.
 */
export const EARLY_START_MS = 60_000;

const NOT_APPLICABLE = (reason: Lateness['not_applicable_reason']): Lateness => ({
  status: 'not_applicable',
  expected_at: null,
  missed: 0,
  missed_capped: false,
  grace_seconds: null,
  since: null,
  not_applicable_reason: reason,
});

/** Answers kept: one per schedule and latest run is plenty (a project has hundreds of schedules). */
const CACHE_LIMIT = 5000;
const cache = new Map<string, { lateness: Lateness; computedAt: number; validUntil: number }>();

/**
 * `computeLateness`, kept until the answer can change. Stepping through the fire times of a schedule
 * silent since its start_date took up to 1000 cron steps, for every schedule on every pipelines list
 * and metrics scrape (153 stale schedules: ~900 ms a list). The answer depends on the clock only
 * through the fire time the count stopped at and its grace window, so it holds until that passes,
 * or until anything of the input changes (a new run moves `runStarts`).
 */
export function scheduleLateness(input: LatenessInput): Lateness {
  const now = input.now.getTime();
  const key = JSON.stringify([
    input.interval,
    input.startDate,
    input.orchestrated,
    input.graceSeconds ?? null,
    input.runStarts
      .map(toMillis)
      .filter((t) => t !== null)
      .sort((a, b) => (a as number) - (b as number)),
  ]);
  const kept = cache.get(key);
  // A clock that went back (tests) is asked afresh.
  if (kept && now >= kept.computedAt && now <= kept.validUntil) return kept.lateness;
  const { lateness, validUntil } = computeLateness(input);
  cache.delete(key);
  cache.set(key, { lateness, computedAt: now, validUntil });
  if (cache.size > CACHE_LIMIT) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  return lateness;
}

/** The lateness at `input.now`, and the last instant the same answer holds. */
export function computeLateness(input: LatenessInput): { lateness: Lateness; validUntil: number } {
  const forever = (lateness: Lateness) => ({ lateness, validUntil: Number.POSITIVE_INFINITY });
  const cron = intervalCron(input.interval);
  if (cron === null) {
    const noCron = input.interval === null || ['@once', '@manual', '@none'].includes(input.interval);
    return forever(NOT_APPLICABLE(noCron ? 'no_cron' : 'invalid_interval'));
  }
  if (!input.orchestrated) return forever(NOT_APPLICABLE('not_orchestrated'));

  const now = input.now.getTime();
  const starts = input.runStarts.map(toMillis).filter((t): t is number => t !== null);
  const latest = starts.length > 0 ? Math.max(...starts) : null;
  const startDate = toMillis(input.startDate);
  const graceFor = (at: number, next: number | null) => input.graceSeconds ?? defaultGraceSeconds(at, next);

  // Expected starts after start_date, or those just before the latest run that it may have met early.
  const fromRuns = latest === null ? null : latest - EARLY_START_MS;
  const fromDate = startDate === null ? null : startDate - 1;
  const from = fromRuns === null ? fromDate : fromDate === null ? fromRuns : Math.max(fromRuns, fromDate);
  if (from === null) {
    const next = fireAfter(cron, now);
    return {
      lateness: {
        status: 'on_time',
        expected_at: next === null ? null : iso(next),
        missed: 0,
        missed_capped: false,
        grace_seconds: next === null ? null : graceFor(next, fireAfter(cron, next)),
        since: null,
        not_applicable_reason: null,
      },
      // The next fire time is the one shown until it comes.
      validUntil: next ?? Number.POSITIVE_INFINITY,
    };
  }
  const since = Math.max(latest ?? Number.NEGATIVE_INFINITY, startDate ?? Number.NEGATIVE_INFINITY);
  const lastMeetable = latest === null ? Number.NEGATIVE_INFINITY : latest + EARLY_START_MS;

  let missed = 0;
  let firstUnmet: { at: number; grace: number } | null = null;
  // The end of the grace window of the fire time counting stopped at: past it, one more is missed.
  let validUntil = Number.POSITIVE_INFINITY;
  let at = fireAfter(cron, from);
  // Only starts within a grace window of a fire time meet it; all starts are at most `latest`, so
  // only the first fire times or two can be met and the loop ends at `now` or at the cap.
  while (at !== null && at <= now && missed < MAX_COUNTED_MISSES) {
    const fire = at;
    const next = fireAfter(cron, fire);
    const grace = graceFor(fire, next);
    // Never a quarter interval early or more: a minutely schedule's 10:00 run does not meet 10:01.
    const early = next === null ? EARLY_START_MS : Math.min(EARLY_START_MS, (next - fire) / 4);
    const met = fire <= lastMeetable && starts.some((s) => s >= fire - early && s <= fire + grace * 1000);
    if (!met) {
      firstUnmet ??= { at: fire, grace };
      if (fire + grace * 1000 < now) missed++;
      else {
        // The rest are later still and none can be met: a run would have moved `latest` past them.
        validUntil = fire + grace * 1000;
        break;
      }
    }
    at = next;
  }
  if (at !== null && at > now && missed < MAX_COUNTED_MISSES) {
    validUntil = Math.min(validUntil, at + graceFor(at, fireAfter(cron, at)) * 1000);
  }
  if (firstUnmet === null && at !== null) {
    firstUnmet = { at, grace: graceFor(at, fireAfter(cron, at)) };
    // An on-time schedule shows its next start until it comes.
    validUntil = Math.min(validUntil, at);
  }
  return {
    lateness: {
      status: missed > 0 ? 'late' : 'on_time',
      expected_at: firstUnmet === null ? null : iso(firstUnmet.at),
      missed,
      missed_capped: missed >= MAX_COUNTED_MISSES,
      grace_seconds: firstUnmet?.grace ?? null,
      since: iso(since),
      not_applicable_reason: null,
    },
    validUntil,
  };
}

/** 10% of the gap to the next fire time (the interval, for an irregular cron the local one), ≥ 5 min. */
export function defaultGraceSeconds(at: number, next: number | null): number {
  if (next === null) return MIN_GRACE_SECONDS;
  return Math.max(MIN_GRACE_SECONDS, ((next - at) / 1000) * DEFAULT_GRACE_FRACTION);
}

function fireAfter(cron: Cron, after: number): number | null {
  return cron.nextRun(new Date(after))?.getTime() ?? null;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** A timestamp without a zone (`2024-01-01`, `2024-01-01 10:00:00`) is UTC, as Meltano stores them. */
function toMillis(value: string | Date | null): number | null {
  if (value === null) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.getTime();
  const text = value.trim().replace(' ', 'T');
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text)
    ? text
    : /T/.test(text)
      ? `${text}Z`
      : `${text}T00:00:00Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? null : ms;
}
