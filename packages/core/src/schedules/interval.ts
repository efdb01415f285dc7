import { Cron } from 'croner';
import cronstrue from 'cronstrue';

export interface IntervalInfo {
  /** As written in meltano.yml. */
  interval: string | null;
  /** The cron expression Meltano derives (`cron_interval`), or null for `@once`/`@manual`/`@none`/missing. */
  cron: string | null;
  /** Plain-language meaning, e.g. "Every 15 minutes (UTC)". */
  description: string;
  /** Next time the cron fires after `now`, ISO UTC with `Z`; null without a cron. */
  next_run_at: string | null;
  valid: boolean;
}

/** `cron_interval` of `meltano schedule list`. */
const CRON_ALIASES: Record<string, string> = {
  '@hourly': '0 * * * *',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *',
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
};

const NO_CRON: Record<string, string> = {
  '@once': 'Run once, not on a schedule',
  '@manual': 'Manual only',
  '@none': 'No interval',
};

/**
 * Parse a 5-field cron in UTC (orchestrators that run `meltano schedule list` output evaluate it in UTC).
 * Meltano validates 5 fields since v3.9; croner alone would also take 6/7-field patterns with seconds.
 */
function parseCron(cron: string): Cron | null {
  if (cron.trim().split(/\s+/).length !== 5) return null;
  try {
    return new Cron(cron, { timezone: 'UTC', paused: true, mode: '5-part' });
  } catch {
    return null;
  }
}

function describeCron(cron: string): string {
  try {
    return `${cronstrue.toString(cron, { throwExceptionOnParseError: true, use24HourTimeFormat: true })} (UTC)`;
  } catch {
    return `Cron ${cron} (UTC)`;
  }
}

/** What an interval means, apart from `now`: parsed once per distinct text (see describeInterval). */
interface Parsed {
  info: Omit<IntervalInfo, 'next_run_at'>;
  cron: Cron | null;
  /** The last next run computed, and the time it was computed for: valid until `now` reaches it. */
  next: { from: number; at: Date | null } | null;
  /** The same cron at a fixed UTC offset, for walking many fire times (intervalCron); made on first use. */
  walker?: Cron | null;
}

const parsedIntervals = new Map<string, Parsed>();
const MAX_KEPT_INTERVALS = 5000;

/**
 * Parsing a cron (croner), describing it (cronstrue) and finding its next run was most of the
 * pipelines list's time: every schedule, every poll. A pipeline's interval rarely changes, so each
 * distinct text is parsed once, and its next run is reused while `now` has not reached it (the next
 * run after any later `now` before it is the same instant).
 */
export function describeInterval(interval: string | null, now: Date = new Date()): IntervalInfo {
  if (interval === null) return describeUncached(interval, now);
  let parsed = parsedIntervals.get(interval);
  if (parsed === undefined) {
    const { next_run_at: _next, ...info } = describeUncached(interval, now);
    parsed = { info, cron: info.valid && info.cron !== null ? parseCron(info.cron) : null, next: null };
    if (parsedIntervals.size >= MAX_KEPT_INTERVALS) parsedIntervals.clear();
    parsedIntervals.set(interval, parsed);
  }
  if (parsed.cron === null) return { ...parsed.info, next_run_at: null };
  const t = now.getTime();
  const kept = parsed.next;
  const reusable = kept !== null && t >= kept.from && kept.at !== null && t < kept.at.getTime();
  if (!reusable) parsed.next = { from: t, at: parsed.cron.nextRun(now) };
  return { ...parsed.info, next_run_at: parsed.next?.at?.toISOString() ?? null };
}

/**
 * The interval's cron in UTC for stepping through many fire times (lateness counts missed starts), or
 * null for `@once`/`@manual`/`@none`/invalid. Built with a fixed offset of 0 rather than the `UTC`
 * time zone: the same instants (UTC has no DST), but croner then skips its Intl conversions, about
 * ten times faster per step.
 */
export function intervalCron(interval: string | null): Cron | null {
  if (interval === null) return null;
  describeInterval(interval);
  const parsed = parsedIntervals.get(interval);
  if (parsed === undefined || parsed.cron === null || parsed.info.cron === null) return null;
  if (parsed.walker === undefined) {
    try {
      parsed.walker = new Cron(parsed.info.cron, { utcOffset: 0, paused: true, mode: '5-part' });
    } catch {
      parsed.walker = null;
    }
  }
  return parsed.walker;
}

function describeUncached(interval: string | null, now: Date): IntervalInfo {
  if (interval === null)
    return { interval, cron: null, description: 'No interval', next_run_at: null, valid: true };
  const noCron = NO_CRON[interval];
  if (noCron) return { interval, cron: null, description: noCron, next_run_at: null, valid: true };

  const cron = CRON_ALIASES[interval] ?? interval;
  const parsed = interval.startsWith('@') && !CRON_ALIASES[interval] ? null : parseCron(cron);
  if (!parsed) {
    return {
      interval,
      cron: null,
      description: `"${interval}" is not a valid interval (expected @hourly, @daily, @weekly, @monthly, @yearly, @once, @manual or a 5-field cron expression)`,
      next_run_at: null,
      valid: false,
    };
  }
  return {
    interval,
    cron,
    description: describeCron(cron),
    next_run_at: parsed.nextRun(now)?.toISOString() ?? null,
    valid: true,
  };
}

/** The next `count` times the interval fires after `now` (ISO UTC); [] when it has no cron or is invalid. */
export function nextRunTimes(interval: string | null, count: number, now: Date = new Date()): string[] {
  const info = describeInterval(interval, now);
  if (!info.valid || info.cron === null || count <= 0) return [];
  const parsed = parseCron(info.cron);
  return parsed ? parsed.nextRuns(count, now).map((date) => date.toISOString()) : [];
}
