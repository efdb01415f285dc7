import { type Kysely, sql } from 'kysely';
import type { MeltanoDatabase } from './meltano-tables.js';

/** Which of Meltano's tables exist at the database's alembic head, and with which columns. */
export interface MeltanoSchema {
  /** `runs` (v2.2+) or `job` (older); null when the CLI has not migrated yet. */
  runs: { table: 'runs' | 'job'; columns: ReadonlySet<string> } | null;
  /** The `state` table (v2.7+). */
  state: boolean;
}

export const NO_MELTANO_TABLES: MeltanoSchema = { runs: null, state: false };

/** True when nothing can appear later without a migration that renames or drops a table. */
export function isSchemaSettled(schema: MeltanoSchema): boolean {
  return schema.runs?.table === 'runs' && schema.state;
}

/**
 * Reads the catalog. PostgreSQL resolves names through `search_path` (`to_regclass`), the way the
 * CLI's unqualified queries do.
 */
export async function probeMeltanoSchema(
  db: Kysely<MeltanoDatabase>,
  dialect: 'sqlite' | 'postgres',
): Promise<MeltanoSchema> {
  const query =
    dialect === 'sqlite'
      ? sql<{ table_name: string; column_name: string }>`
          select m.name as table_name, p.name as column_name
          from sqlite_master as m join pragma_table_info(m.name) as p
          where m.type = 'table' and m.name in ('runs', 'job', 'state')`
      : sql<{ table_name: string; column_name: string }>`
          select c.relname as table_name, a.attname as column_name
          from pg_catalog.pg_class as c join pg_catalog.pg_attribute as a on a.attrelid = c.oid
          where c.oid in (to_regclass('runs'), to_regclass('job'), to_regclass('state'))
            and a.attnum > 0 and not a.attisdropped`;
  const { rows } = await query.execute(db);
  const tables = new Map<string, Set<string>>();
  for (const row of rows) {
    const columns = tables.get(row.table_name) ?? new Set<string>();
    columns.add(row.column_name.toLowerCase());
    tables.set(row.table_name, columns);
  }
  const runsColumns = tables.get('runs');
  const jobColumns = tables.get('job');
  let runs: MeltanoSchema['runs'] = null;
  if (runsColumns?.has('job_name') && runsColumns.has('id')) runs = { table: 'runs', columns: runsColumns };
  else if (jobColumns?.has('job_id') && jobColumns.has('id')) runs = { table: 'job', columns: jobColumns };
  const stateColumns = tables.get('state');
  const state = stateColumns?.has('state_id') === true && stateColumns.has('completed_state');
  return { runs, state };
}
