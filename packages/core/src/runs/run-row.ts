import type { Selectable } from 'kysely';
import type { RunsTable } from '../db/meltano-tables.js';
import { microsToIso, timestampToMicros } from '../db/timestamps.js';
import type { RunView } from './run.types.js';
import { runStatus, type StaleThresholds } from './run-status.js';

/** One runs/job row with the column names of today's `runs`; absent columns read as NULL. */
export type RunRow = Selectable<RunsTable>;

/** Null for rows that are not runs (STATE_EDIT, IDLE). */
export function toRunView(row: RunRow, nowMicros: number, thresholds: StaleThresholds): RunView | null {
  const startedAt = timestampToMicros(row.started_at);
  const endedAt = timestampToMicros(row.ended_at);
  const lastHeartbeatAt = timestampToMicros(row.last_heartbeat_at);
  const status = runStatus(row.state, { startedAt, lastHeartbeatAt }, thresholds);
  if (status === null || row.state === null) return null;
  const running = row.state === 'RUNNING';
  const lastSign = lastHeartbeatAt ?? startedAt;
  return {
    id: Number(row.id),
    state_id: row.job_name ?? '',
    run_id: formatRunId(row.run_id),
    status,
    meltano_state: row.state,
    started_at: startedAt === null ? null : microsToIso(startedAt),
    ended_at: endedAt === null ? null : microsToIso(endedAt),
    last_heartbeat_at: lastHeartbeatAt === null ? null : microsToIso(lastHeartbeatAt),
    heartbeat_age_seconds: running && lastSign !== null ? (nowMicros - lastSign) / 1e6 : null,
    duration_seconds: !running && startedAt !== null && endedAt !== null ? (endedAt - startedAt) / 1e6 : null,
    trigger: row.trigger === null || row.trigger === '' ? null : row.trigger,
    error: payloadError(row.payload),
    payload_flags: row.payload_flags === null ? null : Number(row.payload_flags),
  };
}

/** SQLite keeps `uuid.hex` (32 hex digits); PostgreSQL returns the dashed form. Both → dashed lowercase. */
export function formatRunId(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim().toLowerCase();
  const hex = text.replace(/-/g, '');
  if (!/^[0-9a-f]{32}$/.test(hex)) return text === '' ? null : text;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function payloadError(payload: string | null): string | null {
  // Payloads carry the whole Singer state; skip parsing those that cannot hold an error.
  if (payload === null || !payload.includes('"error"')) return null;
  try {
    const parsed: unknown = JSON.parse(payload);
    if (typeof parsed !== 'object' || parsed === null || !('error' in parsed)) return null;
    const error = parsed.error;
    if (error === null || error === undefined) return null;
    return typeof error === 'string' ? error : JSON.stringify(error);
  } catch {
    return null;
  }
}
