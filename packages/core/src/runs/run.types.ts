/**
 * A run as the UI shows it. Property names are snake_case because they reach the API unchanged.
 * `stale` is computed from the heartbeat (the CLI flips such rows to FAIL only lazily); it is never
 * written back.
 */
export type RunStatus = 'running' | 'success' | 'failed' | 'stale';

export const RUN_STATUSES: readonly RunStatus[] = ['running', 'success', 'failed', 'stale'];

export interface RunView {
  /** runs.id: the stable address of a run. */
  id: number;
  /** runs.job_name (job.job_id before Meltano 2.2). */
  state_id: string;
  /** Dashed lowercase UUID. Several rows may share one since Meltano 3.8 (`meltano run`). */
  run_id: string | null;
  /** RUNNING with a fresh heartbeat → running; RUNNING stale → stale; SUCCESS → success; FAIL/DEAD → failed. */
  status: RunStatus;
  /** The raw runs.state. */
  meltano_state: string;
  /** ISO 8601 UTC with microseconds: `2026-11-21T04:39:06.940260Z`. */
  started_at: string | null;
  ended_at: string | null;
  last_heartbeat_at: string | null;
  /** Only for RUNNING rows: now − last_heartbeat_at (or − started_at when there is no heartbeat). */
  heartbeat_age_seconds: number | null;
  /** ended_at − started_at; null for RUNNING rows. */
  duration_seconds: number | null;
  /** '' is reported as null. */
  trigger: string | null;
  /** payload.error */
  error: string | null;
  payload_flags: number | null;
}

export interface RunFilter {
  /** Empty or absent: every state ID. */
  state_ids?: string[];
  /** Empty or absent: every status. */
  statuses?: RunStatus[];
  trigger?: string;
  /** ISO 8601 on started_at, inclusive. A timestamp without a zone is UTC. */
  since?: string;
  /** ISO 8601 on started_at, exclusive. */
  until?: string;
}

export interface RunPage {
  items: RunView[];
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  next_cursor: string | null;
}

export interface RunStats {
  /** Finished runs (SUCCESS, FAIL, DEAD); RUNNING and stale rows are not counted. */
  total: number;
  succeeded: number;
  failed: number;
}

export interface StateIdSummary {
  state_id: string;
  /** Runs of this state ID, STATE_EDIT rows excluded. */
  run_count: number;
  latest: RunView;
}
