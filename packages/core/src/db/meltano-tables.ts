import type { Generated } from 'kysely';

/**
 * Meltano's own tables, typed exactly as the Python CLI's alembic chain creates them (v2.0–v4.2).
 * They belong to the CLI: this UI never creates, alters, indexes or re-stamps them.
 *
 * Column values as the drivers hand them over: SQLite DATETIME is naive UTC text
 * `YYYY-MM-DD HH:MM:SS.ffffff`; PostgreSQL `timestamp without time zone` is the same text because the
 * pool parses OID 1114 as a raw string (see postgres-connection.ts). `run_id` is `CHAR(32)` hex on
 * SQLite and native `uuid` (dashed text) on PostgreSQL. JSON columns are text on both.
 */

/** `runs` (v2.2+, renamed from `job`; PK constraint and sequence keep the names `job_pkey`/`job_id_seq`). */
export interface RunsTable {
  id: Generated<number>;
  /** The state ID. Nullable in the DDL, always set by Meltano. */
  job_name: string | null;
  /** Enum name as text: RUNNING, SUCCESS, FAIL, DEAD, STATE_EDIT (IDLE only in memory). */
  state: string | null;
  started_at: string | null;
  ended_at: string | null;
  /** JSON object text: `singer_state`, `error`. */
  payload: string | null;
  /** 0 none, 1 STATE (complete), 2 INCOMPLETE_STATE (partial). */
  payload_flags: number | null;
  run_id: string | null;
  /** MELTANO_JOB_TRIGGER at run time (`cli`, `scheduler`, `ui`, …); old rows may be NULL or ''. */
  trigger: string | null;
  last_heartbeat_at: string | null;
}

/**
 * `job`, the same table before v2.2 (alembic head 13e8639c6d2b and older), with `job_id` for the state
 * ID. The oldest heads may lack `run_id`, `trigger` and `last_heartbeat_at`: columns are detected.
 */
export interface JobTable {
  id: Generated<number>;
  job_id: string | null;
  state: string | null;
  started_at: string | null;
  ended_at: string | null;
  payload: string | null;
  payload_flags: number | null;
  run_id: string | null;
  trigger: string | null;
  last_heartbeat_at: string | null;
}

/** `state` (v2.7+): one row per state ID. `updated_at` is the CLI host's local time, NULL on first insert. */
export interface StateTable {
  state_id: string;
  partial_state: string | null;
  completed_state: string | null;
  updated_at: string | null;
}

export interface MeltanoDatabase {
  runs: RunsTable;
  job: JobTable;
  state: StateTable;
}
