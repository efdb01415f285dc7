// Shapes of the API's JSON, as documented at /api/v1/openapi.json.
export type RunStatus = 'running' | 'success' | 'failed' | 'stale';

export interface Run {
  id: number;
  state_id: string;
  run_id: string | null;
  status: RunStatus;
  started_at: string | null;
  ended_at: string | null;
  last_heartbeat_at: string | null;
  heartbeat_age_seconds: number | null;
  duration_seconds: number | null;
  trigger: string | null;
  error: string | null;
}

export interface Schedule {
  name: string;
  kind: 'elt' | 'job';
  interval: string | null;
  interval_description: string;
  next_run_at: string | null;
  extractor: string | null;
  loader: string | null;
  transform: string | null;
  job: string | null;
  tasks: string[][] | null;
  state_ids: string[];
  latest_run: Run | null;
  recent_runs: { id: number; status: RunStatus; started_at: string | null }[];
  totals: { total: number; succeeded: number; failed: number; success_rate: number | null };
  problem: string | null;
}

export interface LoadError {
  code: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
}

export interface Project {
  name: string;
  root: string;
  readonly: boolean;
  project_readonly: boolean;
  authentication: boolean;
  active_environment: string | null;
  ui_version: string;
  load_error: LoadError | null;
}
