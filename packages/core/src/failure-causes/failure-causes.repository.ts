import type { Kysely } from 'kysely';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import type { FailureCause, FailureCauseKind } from './failure-cause.js';

/** Row type of ui-db/migrations/0007-create-ui-run-failure-causes.ts. */
export interface UiRunFailureCausesTable {
  run_id: number;
  log_size: number | null;
  log_mtime: string | null;
  kind: string | null;
  message: string | null;
  line: number | null;
  source: string | null;
  cmd_type: string | null;
  computed_at: string;
}

interface FailureCausesDatabase {
  ui_run_failure_causes: UiRunFailureCausesTable;
}

/** A computed cause with the log it was read from (null size: there was no log). */
export interface StoredFailureCause {
  run_id: number;
  cause: FailureCause | null;
  log_size: number | null;
  log_mtime: string | null;
}

// SQLite's IN list and PostgreSQL's bind parameters both have limits; pages are far smaller.
const SELECT_BATCH = 500;

export function createFailureCausesRepository(tables: UiTables, now: () => Date = () => new Date()) {
  const withDb = <T>(fn: (db: Kysely<FailureCausesDatabase>) => Promise<T>) =>
    tables.with((db) => fn(db as Kysely<FailureCausesDatabase>));
  return {
    async getMany(runIds: number[]): Promise<StoredFailureCause[]> {
      if (runIds.length === 0) return [];
      if (tables.kind === 'sqlite' && !(await tables.databaseExists())) return [];
      const found: StoredFailureCause[] = [];
      for (let i = 0; i < runIds.length; i += SELECT_BATCH) {
        const rows = await withDb((db) =>
          db
            .selectFrom('ui_run_failure_causes')
            .selectAll()
            .where('run_id', 'in', runIds.slice(i, i + SELECT_BATCH))
            .execute(),
        );
        found.push(...rows.map(fromRow));
      }
      return found;
    },
    async put(stored: StoredFailureCause): Promise<void> {
      const { cause } = stored;
      const row: UiRunFailureCausesTable = {
        run_id: stored.run_id,
        log_size: stored.log_size,
        log_mtime: stored.log_mtime,
        kind: cause?.kind ?? null,
        message: cause?.message ?? null,
        line: cause?.line ?? null,
        source: cause?.source ?? null,
        cmd_type: cause?.cmd_type ?? null,
        computed_at: now().toISOString(),
      };
      const { run_id: _key, ...update } = row;
      await withDb((db) =>
        db
          .insertInto('ui_run_failure_causes')
          .values(row)
          .onConflict((oc) => oc.column('run_id').doUpdateSet(update))
          .execute(),
      );
    },
  };
}
export type FailureCausesRepository = ReturnType<typeof createFailureCausesRepository>;

function fromRow(row: UiRunFailureCausesTable): StoredFailureCause {
  const cause: FailureCause | null =
    row.kind === null || row.message === null
      ? null
      : {
          kind: row.kind as FailureCauseKind,
          message: row.message,
          line: row.line === null ? null : Number(row.line),
          source: row.source,
          cmd_type: row.cmd_type,
        };
  return {
    run_id: Number(row.run_id),
    cause,
    log_size: row.log_size === null ? null : Number(row.log_size),
    log_mtime: row.log_mtime,
  };
}
