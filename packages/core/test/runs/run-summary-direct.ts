import type { SystemDatabase } from '../../src/db/system-database.js';
import type { StateIdSummary } from '../../src/runs/run.types.js';
import type { StateIdRunSummary } from '../../src/runs/run-summary-cache.js';

/** Runs per state ID, counted from the direct, paged run list. */
async function runCounts(db: SystemDatabase): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const page = await db.runs.list({}, { cursor, limit: 500 });
    for (const run of page.items) counts.set(run.state_id, (counts.get(run.state_id) ?? 0) + 1);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return counts;
}

/** What RunsRepository.summaries must answer, from the direct (scanning) queries. */
export async function directSummaries(
  db: SystemDatabase,
  stateIds: string[],
): Promise<Map<string, StateIdRunSummary>> {
  const [recent, stats, counts] = await Promise.all([
    db.runs.recentByStateId(stateIds, 20),
    db.runs.stats(stateIds),
    runCounts(db),
  ]);
  return new Map(
    stateIds.map((id) => [
      id,
      { state_id: id, run_count: counts.get(id) ?? 0, stats: stats.get(id)!, recent: recent.get(id)! },
    ]),
  );
}

/** What RunsRepository.stateIdSummaries must answer, from the direct queries. */
export async function directStateIdSummaries(db: SystemDatabase): Promise<StateIdSummary[]> {
  const [latest, counts] = await Promise.all([db.runs.latestByStateId(), runCounts(db)]);
  return [...latest]
    .map(([stateId, run]) => ({ state_id: stateId, run_count: counts.get(stateId) ?? 0, latest: run }))
    .sort((a, b) => b.latest.id - a.latest.id);
}

/** Every state ID the database has runs for. */
export async function allStateIds(db: SystemDatabase): Promise<string[]> {
  return [...(await db.runs.latestByStateId()).keys()];
}
