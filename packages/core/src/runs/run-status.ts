import type { RunStatus } from './run.types.js';

/** Meltano's constants (unchanged v2 → v4, meltano/core/job/job.py). */
export const HEARTBEAT_VALID_MINUTES = 5;
export const HEARTBEATLESS_JOB_VALID_HOURS = 24;

/** runs.state values that are runs; STATE_EDIT (meltano state …) and IDLE (never saved) are not. */
export const RUN_STATES = ['RUNNING', 'SUCCESS', 'FAIL', 'DEAD'] as const;
export const FINISHED_STATES = ['SUCCESS', 'FAIL', 'DEAD'] as const;

export interface StaleThresholds {
  /** A RUNNING row whose heartbeat is older than this (epoch µs) is stale. */
  heartbeatBefore: number;
  /** A RUNNING row without heartbeat that started before this (epoch µs) is stale. */
  startedBefore: number;
}

export function staleThresholds(nowMicros: number): StaleThresholds {
  return {
    heartbeatBefore: nowMicros - HEARTBEAT_VALID_MINUTES * 60 * 1_000_000,
    startedBefore: nowMicros - HEARTBEATLESS_JOB_VALID_HOURS * 3600 * 1_000_000,
  };
}

/**
 * The CLI's own stale test (`Job.is_stale` and the query in `fail_stale_jobs`): strictly older than the
 * threshold. A row with neither heartbeat nor start time is not stale, as in the CLI's query.
 */
export function isStale(
  run: { lastHeartbeatAt: number | null; startedAt: number | null },
  t: StaleThresholds,
): boolean {
  if (run.lastHeartbeatAt !== null) return run.lastHeartbeatAt < t.heartbeatBefore;
  if (run.startedAt !== null) return run.startedAt < t.startedBefore;
  return false;
}

/** Null for states that are not runs (STATE_EDIT, IDLE, unknown). */
export function runStatus(
  meltanoState: string | null,
  run: { lastHeartbeatAt: number | null; startedAt: number | null },
  t: StaleThresholds,
): RunStatus | null {
  switch (meltanoState) {
    case 'RUNNING':
      return isStale(run, t) ? 'stale' : 'running';
    case 'SUCCESS':
      return 'success';
    case 'FAIL':
    case 'DEAD':
      return 'failed';
    default:
      return null;
  }
}
