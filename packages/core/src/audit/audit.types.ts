/** How a change asked of the API ended: answered (2xx/3xx), refused (4xx) or failed (5xx). */
export type AuditOutcome = 'ok' | 'refused' | 'failed';

/** One recorded change. `action` is `METHOD /api/v1/route/{param}` (the OpenAPI path). */
export interface AuditEntry {
  at: string;
  /** A user name, `token:<token name>` for an API token, or `anonymous`. */
  actor: string;
  client_ip: string | null;
  action: string;
  /** The route's parameters (schedule name, run id, state id…). */
  target: Record<string, string>;
  /** The schedule or job the change concerns, when there is one. */
  pipeline: string | null;
  status: number;
  outcome: AuditOutcome;
  /** Safe details only: body field names and what the route added, never a secret value. */
  details: Record<string, unknown>;
}

export interface AuditQuery {
  actor?: string;
  /** Matches the action exactly, or as a prefix when it ends with `*`. */
  action?: string;
  pipeline?: string;
  since?: string;
  until?: string;
  before?: AuditCursor | null;
  limit: number;
}

export interface AuditCursor {
  at: string;
  id: string;
}

export function auditOutcome(status: number): AuditOutcome {
  if (status >= 500) return 'failed';
  if (status >= 400) return 'refused';
  return 'ok';
}
