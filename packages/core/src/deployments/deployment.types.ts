/** A deployment's life: queued → running → succeeded | failed; `ignored` webhook pushes never run. */
export type DeploymentStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'ignored';
export type DeploymentTrigger = 'webhook' | 'api' | 'user';

/** A row of `ui_deployments`. */
export interface UiDeploymentsTable {
  id: string;
  status: DeploymentStatus;
  trigger: DeploymentTrigger;
  branch: string;
  /** What was asked for (the webhook's `after`, the API's `commit`); null for "the branch's tip". */
  requested_commit: string | null;
  /** The commit deployed (or tried), known once fetched. */
  commit: string | null;
  /** HEAD of the checkout before the deployment moved it. */
  previous_commit: string | null;
  author: string | null;
  message: string | null;
  requested_by: string | null;
  delivery_id: string | null;
  /** Why a webhook delivery was ignored. */
  reason: string | null;
  error: string | null;
  /** 1 when `meltano install` ran (plugins or lock files changed). */
  installed: number;
  log: string;
  dedup_key: string | null;
  host: string | null;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  heartbeat_at: string | null;
}

export interface UiDeploymentLockTable {
  name: string;
  deployment_id: string;
  host: string;
  acquired_at: string;
  heartbeat_at: string;
}

/** A deployment as the API shows it. */
export interface DeploymentView {
  id: string;
  status: DeploymentStatus;
  trigger: DeploymentTrigger;
  branch: string;
  requested_commit: string | null;
  commit: string | null;
  previous_commit: string | null;
  author: string | null;
  message: string | null;
  requested_by: string | null;
  reason: string | null;
  error: string | null;
  installed: boolean;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  duration_seconds: number | null;
}

export interface DeploymentDetail extends DeploymentView {
  log: string;
}

export function deploymentView(row: UiDeploymentsTable): DeploymentView {
  const duration =
    row.started_at && row.ended_at ? (Date.parse(row.ended_at) - Date.parse(row.started_at)) / 1000 : null;
  return {
    id: row.id,
    status: row.status,
    trigger: row.trigger,
    branch: row.branch,
    requested_commit: row.requested_commit,
    commit: row.commit,
    previous_commit: row.previous_commit,
    author: row.author,
    message: row.message,
    requested_by: row.requested_by,
    reason: row.reason,
    error: row.error,
    installed: row.installed === 1,
    created_at: row.created_at,
    started_at: row.started_at,
    ended_at: row.ended_at,
    duration_seconds: duration,
  };
}
