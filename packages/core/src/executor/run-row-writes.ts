import type { SystemDatabase } from '../db/system-database.js';
import { dateToMicros, microsToDbText } from '../db/timestamps.js';

/** JSON text as Python's json.dumps writes it (`", "` and `": "`), which is how Meltano stores payloads. */
function pythonJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${pythonJson(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * Ends the RUNNING rows of a run the UI had to SIGKILL (Meltano never got to write its FAIL), with
 * Meltano's encodings, so the CLI and the UI agree it failed instead of waiting 5 minutes for staleness.
 */
export async function failKilledRun(
  db: SystemDatabase,
  runId: string,
  error: string,
  now: Date,
): Promise<number> {
  const id = db.kind === 'sqlite' ? runId.replace(/-/g, '') : runId;
  return db.withKysely(async (k) => {
    const rows = (await k
      .selectFrom('runs')
      .select(['id', 'payload'])
      .where('run_id', '=', id)
      .where('state', '=', 'RUNNING')
      .execute()) as { id: number; payload: string | null }[];
    for (const row of rows) {
      let payload: Record<string, unknown> = {};
      try {
        payload = JSON.parse(row.payload ?? '{}') as Record<string, unknown>;
      } catch {
        // keep {} for an unreadable payload
      }
      await k
        .updateTable('runs')
        .set({
          state: 'FAIL',
          ended_at: microsToDbText(dateToMicros(now)),
          payload: pythonJson({ ...payload, error }),
        })
        .where('id', '=', row.id)
        .where('state', '=', 'RUNNING')
        .execute();
    }
    return rows.length;
  });
}
