import type { PipelineKind } from './pipeline-command.js';
import type { RunOptions } from './run-options.js';

export type LaunchStatus = 'starting' | 'running' | 'exited' | 'failed_to_start';

/** A pipeline run this UI started: what it ran, and what became of the process. */
export interface LaunchView {
  id: string;
  pipeline_kind: PipelineKind;
  pipeline_name: string;
  state_ids: string[];
  /** The run ID given to Meltano (MELTANO_RUN_ID, honoured by Meltano >= 3.4), dashed. */
  run_id: string;
  /** The command, executable first; values of the environment are never recorded. */
  argv: string[];
  host: string;
  pid: number | null;
  status: LaunchStatus;
  exit_code: number | null;
  signal: string | null;
  error: string | null;
  created_at: string;
  ended_at: string | null;
  cancel_requested_at: string | null;
  /** The server process (replica) that owns the run: started it, or took it over; null on older launches. */
  replica_id: string | null;
  /** Who asked to cancel (user name; null when authentication is off). */
  cancel_requested_by: string | null;
  /** When the owning replica sent SIGTERM for the request; null while the request waits for it. */
  cancel_acted_at: string | null;
  /** The run options it was started with ({} when none). */
  options: RunOptions;
  /** The runs.id of the failed run it retries; null when it is not a retry. */
  retry_of_run_id: number | null;
}

/** A `ui_launches` row: a pipeline run, or a plugin install (kind `install`, name `<type>/<name>`). */
export interface LaunchRow {
  id: string;
  pipeline_kind: string;
  pipeline_name: string;
  state_ids: string;
  run_id: string;
  executable: string;
  argv: string;
  host: string;
  pid: number | null;
  status: string;
  exit_code: number | null;
  signal: string | null;
  error: string | null;
  capture_file: string;
  created_at: string;
  ended_at: string | null;
  cancel_requested_at: string | null;
  replica_id: string | null;
  cancel_requested_by: string | null;
  cancel_requested_via: string | null;
  cancel_acted_at: string | null;
  cancel_acted_by: string | null;
  /** JSON of the run options set; null: none (or a launch from before migration 0010). */
  options?: string | null;
  retry_of_run_id?: number | string | null;
}
