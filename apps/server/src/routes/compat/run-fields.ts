import type { CoreContext, RunView } from '@meltano-ui/core';

/**
 * A timestamp as the old UI's jsonify wrote it: RFC 1123 GMT (`Tue, 14 Mar 2023 10:00:00 GMT`), from
 * our ISO 8601 UTC strings (microseconds dropped, as Flask's encoder did).
 */
export function rfc1123(iso: string | null): string | null {
  if (iso === null) return null;
  const date = new Date(iso.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(date.getTime()) ? null : date.toUTCString();
}

/** flask-restful's fields.DateTime (RFC 822 with `-0000`): `Tue, 14 Mar 2023 10:00:00 -0000`. */
export function rfc822(iso: string | null): string | null {
  return rfc1123(iso)?.replace(/ GMT$/, ' -0000') ?? null;
}

export interface OldRunFields {
  latest: RunView | null;
  is_complete: boolean;
  has_error: boolean;
  is_running: boolean;
  started_at: string | null;
  ended_at: string | null;
  trigger: string | null;
  /** True or null, never false (as the old UI answered). */
  has_ever_succeeded: true | null;
}

/**
 * What the old UI said about each state ID's latest run (largest started_at; ours: the newest row,
 * STATE_EDIT rows of `meltano state` not counting as runs), from core's runs repository.
 */
export async function oldRunFields(
  core: CoreContext,
  stateIds: string[],
): Promise<Map<string, OldRunFields>> {
  const unique = [...new Set(stateIds)];
  const out = new Map<string, OldRunFields>();
  if (unique.length === 0) return out;
  const [latest, stats] = await Promise.all([
    core.db.runs.latestByStateId(unique),
    core.db.runs.stats(unique),
  ]);
  for (const id of unique) {
    const run = latest.get(id) ?? null;
    const state = run?.meltano_state ?? null;
    out.set(id, {
      latest: run,
      is_complete: state === 'SUCCESS' || state === 'FAIL',
      has_error: state === 'FAIL',
      // No staleness check, as the old UI: a killed run stays running until something fails it.
      is_running: state === 'RUNNING',
      started_at: rfc1123(run?.started_at ?? null),
      ended_at: rfc1123(run?.ended_at ?? null),
      trigger: run?.trigger ?? null,
      has_ever_succeeded: (stats.get(id)?.succeeded ?? 0) > 0 ? true : null,
    });
  }
  return out;
}
