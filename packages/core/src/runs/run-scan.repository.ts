import { sql } from 'kysely';
import type { DatabaseConnection } from '../db/database-connection.js';
import type { RunRow } from './run-row.js';
import { hasRuns, type RunsSession, runsSource } from './runs-query.js';

/** What a pass needs of every row; the full row is fetched only for the runs kept. */
export type RunHead = Pick<RunRow, 'id' | 'job_name' | 'state'>;

/** Rows of one read, with what identifies the database they came from. */
export interface RunScanResult<T> {
  rows: T[];
  /**
   * Changes when the database behind the connection may have been swapped: on SQLite the Kysely
   * instance, which the provider replaces when the file's inode changes. Null on PostgreSQL, where a
   * new pool after a lost connection says nothing about the data; the caller's anchor check covers a
   * restored or re-created database there.
   */
  source: object | null;
}

/**
 * Reads `runs` by primary key only (its one index), for the run summary. Null when there is nothing
 * to read: no SQLite file or no runs table yet.
 */
export interface RunScanRepository {
  /** Every row (STATE_EDIT too) with `id >= fromId`, ascending, at most `limit`. */
  heads(fromId: number, limit: number): Promise<RunScanResult<RunHead> | null>;
  /**
   * The rows with these ids that exist, in any order; `payload` only where it may hold an error.
   * Keep `ids` short (a few hundred): one `in (…)` list.
   */
  byIds(ids: readonly number[]): Promise<RunScanResult<RunRow> | null>;
}

export function createRunScanRepository(conn: DatabaseConnection): RunScanRepository {
  const read = <T>(fn: (s: RunsSession) => Promise<T[]>) =>
    conn.read<RunScanResult<T> | null>(
      async (s) => (hasRuns(s) ? { rows: await fn(s), source: s.dialect === 'sqlite' ? s.db : null } : null),
      () => null,
    );
  return {
    heads: (fromId, limit) =>
      read((s) =>
        s.db
          .selectFrom(runsSource(s, 'r'))
          .select(['r.id', 'r.job_name', 'r.state'])
          .where('r.id', '>=', fromId)
          .orderBy('r.id')
          .limit(limit)
          .execute(),
      ),
    byIds: (ids) =>
      ids.length === 0
        ? read(async () => [])
        : read((s) =>
            fullRows(s)
              .where('r.id', 'in', [...ids])
              .execute(),
          ),
  };
}

/**
 * Payloads carry the whole Singer state: only those that can hold an `error` key leave the database.
 * LIKE is a superset of the exact test in run-row.ts (SQLite's LIKE ignores ASCII case), so no error
 * is lost.
 */
function fullRows(s: RunsSession) {
  const payload = sql.ref('r.payload');
  return s.db
    .selectFrom(runsSource(s, 'r'))
    .select([
      'r.id',
      'r.job_name',
      'r.state',
      'r.started_at',
      'r.ended_at',
      sql<string | null>`case when ${payload} like ${'%"error"%'} then ${payload} end`.as('payload'),
      'r.payload_flags',
      'r.run_id',
      'r.trigger',
      'r.last_heartbeat_at',
    ]);
}
