import { type Kysely, sql } from 'kysely';
import type { DatabaseConnection, Dialect } from '../db/database-connection.js';
import type { MeltanoDatabase } from '../db/meltano-tables.js';

/**
 * Meltano's `runs` has no index but its primary key. The UI adds two, named ui_ so they are plainly
 * its own (Meltano's migrations neither know nor mind them; `meltano upgrade database` keeps them):
 * - ui_runs_job_name_id: one pipeline's history, newest first, without walking the whole table;
 * - ui_runs_job_name_state: run counts per state ID and outcome from the index alone (SQLite keeps
 *   the rowid in every index entry; PostgreSQL needs `id` in it to filter without the table).
 * Created once, off the request path (runLong: a worker thread on SQLite, CONCURRENTLY on
 * PostgreSQL so Meltano's writes go on); the UI works without them, only slower.
 */
export const RUNS_INDEXES: readonly { name: string; columns: Record<Dialect, string> }[] = [
  { name: 'ui_runs_job_name_id', columns: { sqlite: 'job_name, id', postgres: 'job_name, id' } },
  {
    name: 'ui_runs_job_name_state',
    columns: { sqlite: 'job_name, state', postgres: 'job_name, state, id' },
  },
];

/** The UI's indexes on `runs` that exist → whether usable (a PostgreSQL build that was cut is not). */
export async function runsIndexes(
  db: Kysely<MeltanoDatabase>,
  dialect: Dialect,
): Promise<Map<string, boolean>> {
  const names = RUNS_INDEXES.map((i) => i.name);
  const query =
    dialect === 'sqlite'
      ? sql<{ name: string; valid: boolean | number }>`
          select name, 1 as valid from sqlite_master
          where type = 'index' and tbl_name = 'runs' and name in (${sql.join(names)})`
      : sql<{ name: string; valid: boolean | number }>`
          select c.relname as name, i.indisvalid as valid from pg_catalog.pg_index as i
          join pg_catalog.pg_class as c on c.oid = i.indexrelid
          where i.indrelid = to_regclass('runs') and c.relname in (${sql.join(names)})`;
  const { rows } = await query.execute(db);
  return new Map(rows.map((r) => [r.name, Boolean(r.valid)]));
}

/**
 * Creates the indexes missing from `existing` (runsIndexes). On PostgreSQL an index whose concurrent
 * build was cut (invalid) is dropped and built again. Rejects with the database's error (no right to create an index, a
 * read-only file, a lock not granted in time); the caller goes on without them.
 */
export async function createRunsIndexes(
  conn: DatabaseConnection,
  existing: ReadonlyMap<string, boolean>,
): Promise<void> {
  const missing = RUNS_INDEXES.filter((i) => existing.get(i.name) !== true);
  if (missing.length === 0) return;
  const statements =
    conn.dialect === 'sqlite'
      ? missing.map((i) => `create index if not exists ${i.name} on runs (${i.columns.sqlite})`)
      : missing.flatMap((i) => [
          ...(existing.has(i.name) ? [`drop index concurrently if exists ${i.name}`] : []),
          `create index concurrently if not exists ${i.name} on runs (${i.columns.postgres})`,
        ]);
  await conn.runLong(statements);
}
