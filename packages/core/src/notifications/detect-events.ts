import type { RunView } from '../runs/run.types.js';
import { HEARTBEAT_VALID_MINUTES, HEARTBEATLESS_JOB_VALID_HOURS } from '../runs/run-status.js';
import type { Lateness } from '../schedules/lateness.js';
import type { NotificationEvent } from './notification.types.js';

/**
 * What happened to runs and schedules, as events with stable keys. Detection is a pure function of
 * what the system DB says now (the run summary's newest runs per state ID, and each schedule's
 * lateness), so every replica finds the same events with the same keys whoever wrote the rows (the UI,
 * the CLI, Airflow); the claim table then lets exactly one of them send each.
 */
export interface DetectedEvent {
  event: NotificationEvent;
  /** `run:<runs.id>:<event>` or `late:<schedule>:<expected start>`. */
  key: string;
  /** When it happened, epoch ms: a run's end, when a run became stale, when a start was missed. */
  at: number;
  /** The names a rule's `pipelines` may match: the schedules and jobs that record the state ID, or the state ID. */
  pipelines: string[];
  /** The name a message shows. */
  pipeline: string;
  run: RunView | null;
  /** For `late`. */
  schedule: { name: string; lateness: Lateness } | null;
}

export interface StateIdOwner {
  schedules: string[];
  jobs: string[];
}

/**
 * Meltano's own messages when it marks a RUNNING row FAIL for want of a heartbeat (`fail_stale_jobs`):
 * such a run died, it did not fail, and it is the same event as the UI's presumed-dead one (same key),
 * so it is notified once whichever was seen first.
 */
const MELTANO_STALE_ERROR = /^(?:No heartbeat recorded for|Still running after \d+ hours)/;

export function detectRunEvents(input: {
  /** Per state ID, its newest runs, newest first (the run summary's `recent`). */
  runsByStateId: ReadonlyMap<string, readonly RunView[]>;
  owners: ReadonlyMap<string, StateIdOwner>;
  /** Events before this (epoch ms) are not reported: a restart after a long stop does not replay a day. */
  since: number;
}): DetectedEvent[] {
  const events: DetectedEvent[] = [];
  for (const [stateId, runs] of input.runsByStateId) {
    const owner = input.owners.get(stateId);
    const pipelines = owner ? [...owner.schedules, ...owner.jobs] : [];
    const pipeline = pipelines[0] ?? stateId;
    const names = pipelines.includes(stateId) ? pipelines : [...pipelines, stateId];
    const add = (event: NotificationEvent, run: RunView, at: number | null) => {
      if (at === null || at < input.since) return;
      events.push({
        event,
        key: `run:${run.id}:${event}`,
        at,
        pipelines: names,
        pipeline,
        run,
        schedule: null,
      });
    };
    runs.forEach((run, i) => {
      const outcome = runOutcome(run);
      if (outcome === null) return;
      add(outcome, run, eventTime(run));
      if (outcome !== 'succeeded') return;
      // Recovery: the previous run of this state ID that has an outcome failed or died.
      const previous = runs.slice(i + 1).find((r) => runOutcome(r) !== null);
      if (previous && runOutcome(previous) !== 'succeeded') add('recovered', run, eventTime(run));
    });
  }
  return events;
}

/** failed, stale, succeeded; null while running. */
export function runOutcome(run: RunView): 'failed' | 'stale' | 'succeeded' | null {
  switch (run.status) {
    case 'success':
      return 'succeeded';
    case 'stale':
      return 'stale';
    case 'failed':
      return run.error !== null && MELTANO_STALE_ERROR.test(run.error) ? 'stale' : 'failed';
    default:
      return null;
  }
}

/**
 * A finished run's end; a presumed-dead RUNNING row's moment of death as the UI counts it (its last
 * heartbeat plus 5 minutes, or its start plus 24 hours without any).
 */
function eventTime(run: RunView): number | null {
  if (run.status !== 'stale') return parse(run.ended_at);
  const heartbeat = parse(run.last_heartbeat_at);
  if (heartbeat !== null) return heartbeat + HEARTBEAT_VALID_MINUTES * 60_000;
  const started = parse(run.started_at);
  return started === null ? null : started + HEARTBEATLESS_JOB_VALID_HOURS * 3_600_000;
}

/**
 * One event per late period, keyed by the first expected start that was missed: a schedule stays
 * late (and is not re-notified) until a run starts, and a later miss after that is a new event. One
 * message per missed start would send 1440 a day for a minutely schedule whose orchestrator is down.
 */
export function detectLateEvents(input: {
  schedules: readonly { name: string; lateness: Lateness; jobs: string[] }[];
  since: number;
}): DetectedEvent[] {
  const events: DetectedEvent[] = [];
  for (const { name, lateness, jobs } of input.schedules) {
    if (lateness.status !== 'late' || lateness.expected_at === null) continue;
    const expected = Date.parse(lateness.expected_at);
    // It became late when the grace window of that start ended.
    const at = expected + (lateness.grace_seconds ?? 0) * 1000;
    if (at < input.since) continue;
    events.push({
      event: 'late',
      key: `late:${name}:${lateness.expected_at}`,
      at,
      pipelines: [name, ...jobs],
      pipeline: name,
      run: null,
      schedule: { name, lateness },
    });
  }
  return events;
}

function parse(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}
