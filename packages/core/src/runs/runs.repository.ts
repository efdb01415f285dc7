import { sql } from 'kysely';
import type { DatabaseConnection } from '../db/database-connection.js';
import { dateToMicros } from '../db/timestamps.js';
import { InvalidInputError } from '../errors.js';
import type { RunFilter, RunPage, RunStats, RunView, StateIdSummary } from './run.types.js';
import { type RunRow, toRunView } from './run-row.js';
import { createRunScanRepository } from './run-scan.repository.js';
import { staleThresholds } from './run-status.js';
import { RunSummaryCache, type StateIdRunSummary } from './run-summary-cache.js';
import {
  and,
  checkLimit,
  chunks,
  decodeCursor,
  encodeCursor,
  filterConditions,
  hasRuns,
  isFinished,
  isRun,
  type RunsSession,
  runsSource,
  stateIdIn,
} from './runs-query.js';

/**
 * Runs as recorded by the Meltano CLI, newest first. Works without any index beyond the integer
 * primary key: everything "newest" walks `id` backwards and stops as early as it can. The per-state-ID
 * answers the polled pipeline pages need (summaries, stateIdSummaries) come from the run summary
 * instead, which reads each row once; the other methods query the table on every call.
 */
export interface RunsRepository {
  list(filter: RunFilter, page: { cursor?: string | null; limit: number }): Promise<RunPage>;
  /** Null for unknown ids and for STATE_EDIT rows. */
  get(id: number): Promise<RunView | null>;
  /** Latest run per state ID (only state IDs that have runs); every state ID when `stateIds` is omitted. */
  latestByStateId(stateIds?: string[]): Promise<Map<string, RunView>>;
  /** The last `perStateId` runs of each state ID, newest first; every requested ID has an entry. */
  recentByStateId(stateIds: string[], perStateId: number): Promise<Map<string, RunView[]>>;
  /** Finished runs per state ID (success rate = succeeded / total); every requested ID has an entry. */
  stats(stateIds: string[]): Promise<Map<string, RunStats>>;
  /**
   * Run count, finished-run stats and the last SUMMARY_RECENT_RUNS runs per state ID, from the run
   * summary kept in memory (run-summary-cache.ts) instead of scans per call; as fresh as the queries
   * above. Every requested ID has an entry.
   */
  summaries(stateIds: string[]): Promise<Map<string, StateIdRunSummary>>;
  /** Every state ID that has runs, the most recently run first (from the run summary). */
  stateIdSummaries(): Promise<StateIdSummary[]>;
  /**
   * Brings the run summary up to date (the first time: a full read of the table, in batches). Never
   * rejects: meant to be started in the background at boot; the next read reports any failure.
   */
  warmUp(): Promise<void>;
}

/** State IDs per backward scan; keeps `in (…)` lists short. */
const SCAN_BATCH = 200;
/** Ids per `id in (…)` fetch; far below SQLite's and PostgreSQL's parameter limits. */
const FETCH_BATCH = 500;

export function createRunsRepository(conn: DatabaseConnection, now: () => Date): RunsRepository {
  const clock = () => {
    const nowMicros = dateToMicros(now());
    return { nowMicros, thresholds: staleThresholds(nowMicros) };
  };
  const views = (rows: RunRow[], c: ReturnType<typeof clock>) =>
    rows.map((row) => toRunView(row, c.nowMicros, c.thresholds)).filter((v): v is RunView => v !== null);

  const read = <T>(fn: (s: RunsSession) => Promise<T>, empty: () => T) =>
    conn.read((s) => (hasRuns(s) ? fn(s) : Promise.resolve(empty())), empty);
  const summary = new RunSummaryCache(createRunScanRepository(conn), { now });

  return {
    async list(filter, page) {
      const limit = checkLimit(page.limit);
      const before = page.cursor ? decodeCursor(page.cursor) : null;
      const c = clock();
      const conditions = filterConditions('r', filter, c.thresholds);
      return read(
        async (s) => {
          let query = s.db.selectFrom(runsSource(s, 'r')).selectAll().where(and(conditions));
          if (before !== null) query = query.where('id', '<', before);
          const rows = await query
            .orderBy('id', 'desc')
            .limit(limit + 1)
            .execute();
          const items = views(rows.slice(0, limit), c);
          const last = rows.length > limit ? rows[limit - 1] : undefined;
          return { items, next_cursor: last ? encodeCursor(Number(last.id)) : null };
        },
        () => ({ items: [], next_cursor: null }),
      );
    },

    async get(id) {
      if (!Number.isSafeInteger(id)) throw new InvalidInputError('A run id is an integer', { id });
      const c = clock();
      return read(
        async (s) => {
          const row = await s.db
            .selectFrom(runsSource(s, 'r'))
            .selectAll()
            .where('id', '=', id)
            .where(isRun('r'))
            .executeTakeFirst();
          return row ? toRunView(row, c.nowMicros, c.thresholds) : null;
        },
        () => null,
      );
    },

    async latestByStateId(stateIds) {
      const c = clock();
      if (stateIds !== undefined && stateIds.length === 0) return new Map();
      return read(
        async (s) => {
          const rows =
            stateIds === undefined
              ? await latestRowOfEveryStateId(s)
              : await fetchRows(s, [...(await newestIds(s, unique(stateIds), 1)).values()].flat());
          return new Map(views(rows, c).map((v) => [v.state_id, v]));
        },
        () => new Map(),
      );
    },

    async recentByStateId(stateIds, perStateId) {
      if (!Number.isInteger(perStateId) || perStateId < 1 || perStateId > 500) {
        throw new InvalidInputError('perStateId must be an integer from 1 to 500', { perStateId });
      }
      const c = clock();
      const ids = unique(stateIds);
      const result = new Map<string, RunView[]>(ids.map((id) => [id, []]));
      return read(
        async (s) => {
          const newest = await newestIds(s, ids, perStateId);
          const rows = await fetchRows(s, [...newest.values()].flat());
          for (const view of views(rows, c)) result.get(view.state_id)?.push(view);
          return result;
        },
        () => result,
      );
    },

    async stats(stateIds) {
      const ids = unique(stateIds);
      const result = new Map<string, RunStats>(ids.map((id) => [id, { total: 0, succeeded: 0, failed: 0 }]));
      return read(
        async (s) => {
          for (const batch of chunks(ids, FETCH_BATCH)) {
            const rows = await s.db
              .selectFrom(runsSource(s, 'r'))
              .select((eb) => [
                'job_name',
                eb.fn.countAll<number | string>().as('total'),
                sql<number | string>`sum(case when ${sql.ref('r.state')} = 'SUCCESS' then 1 else 0 end)`.as(
                  'succeeded',
                ),
              ])
              .where(isFinished('r'))
              .where(stateIdIn('r', batch))
              .groupBy('job_name')
              .execute();
            for (const row of rows) {
              const total = Number(row.total);
              const succeeded = Number(row.succeeded);
              result.set(row.job_name ?? '', { total, succeeded, failed: total - succeeded });
            }
          }
          return result;
        },
        () => result,
      );
    },

    summaries: (stateIds) => summary.summaries(stateIds),
    stateIdSummaries: () => summary.stateIdSummaries(),
    warmUp: () => summary.sync().catch(() => {}),
  };
}

function unique(stateIds: string[]): string[] {
  if (!Array.isArray(stateIds) || stateIds.some((s) => typeof s !== 'string')) {
    throw new InvalidInputError('stateIds must be a list of strings');
  }
  return [...new Set(stateIds)];
}

/** max(id) and count(*) of runs per state ID: one pass over the table (no index to do better). */
function latestPerStateId(s: RunsSession) {
  return s.db
    .selectFrom(runsSource(s, 'g0'))
    .select((eb) => [eb.fn.max('g0.id').as('latest_id'), eb.fn.countAll<number | string>().as('run_count')])
    .where(isRun('g0'))
    .where('g0.job_name', 'is not', null)
    .groupBy('g0.job_name');
}

async function latestRowOfEveryStateId(s: RunsSession): Promise<RunRow[]> {
  return s.db
    .selectFrom(runsSource(s, 'r'))
    .innerJoin(latestPerStateId(s).as('g'), 'g.latest_id', 'r.id')
    .selectAll('r')
    .execute();
}

/**
 * Ids of the newest `perStateId` runs of each state ID, found by walking the primary key backwards in
 * growing chunks of (id, job_name) and dropping a state ID from the `in (…)` list once it has enough.
 * Active state IDs finish after a few thousand rows; a state ID with fewer runs than asked for costs
 * one pass over the table, shared by all state IDs of the batch.
 */
async function newestIds(
  s: RunsSession,
  stateIds: string[],
  perStateId: number,
): Promise<Map<string, number[]>> {
  const found = new Map<string, number[]>();
  for (const batch of chunks(stateIds, SCAN_BATCH)) {
    const missing = new Map(batch.map((id) => [id, perStateId]));
    let before: number | null = null;
    let chunkSize = Math.min(Math.max(batch.length * perStateId * 2, 64), 4096);
    while (missing.size > 0) {
      let query = s.db
        .selectFrom(runsSource(s, 'r'))
        .select(['id', 'job_name'])
        .where(isRun('r'))
        .where(stateIdIn('r', [...missing.keys()]));
      if (before !== null) query = query.where('id', '<', before);
      const rows = await query.orderBy('id', 'desc').limit(chunkSize).execute();
      for (const row of rows) {
        const stateId = row.job_name ?? '';
        const left = missing.get(stateId);
        if (left === undefined) continue;
        found.set(stateId, [...(found.get(stateId) ?? []), Number(row.id)]);
        if (left <= 1) missing.delete(stateId);
        else missing.set(stateId, left - 1);
      }
      const last = rows.at(-1);
      if (rows.length < chunkSize || last === undefined) break;
      before = Number(last.id);
      chunkSize = Math.min(chunkSize * 4, 65_536);
    }
  }
  return found;
}

/** Full rows for the given ids, newest first. */
async function fetchRows(s: RunsSession, ids: number[]): Promise<RunRow[]> {
  const rows: RunRow[] = [];
  for (const batch of chunks(ids, FETCH_BATCH)) {
    rows.push(...(await s.db.selectFrom(runsSource(s, 'r')).selectAll().where('id', 'in', batch).execute()));
  }
  return rows.sort((a, b) => Number(b.id) - Number(a.id));
}
