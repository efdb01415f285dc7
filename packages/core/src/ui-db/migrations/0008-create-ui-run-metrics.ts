import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add the next file instead.
// Portable types: timestamps as ISO 8601 UTC text; JSON as text; booleans as 0/1 integers;
// bigint is INTEGER on SQLite.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's table types.
export async function up(db: Kysely<any>): Promise<void> {
  // What the Singer METRIC lines of a run's elt.log add up to, keyed by Meltano's runs.id, so run
  // history never re-reads logs. `log_offset`/`log_size`/`log_mtime` describe the log as far as it
  // was read (null: no log) and `progress` is the state to resume from when it grows. The record
  // totals are columns so that lists read them without the JSON. `parser_version` lets a later
  // parser recompute rows an older one wrote.
  await db.schema
    .createTable('ui_run_metrics')
    .addColumn('run_id', 'bigint', (c) => c.primaryKey())
    .addColumn('parser_version', 'integer', (c) => c.notNull())
    .addColumn('log_offset', 'bigint')
    .addColumn('log_size', 'bigint')
    .addColumn('log_mtime', 'varchar(32)')
    .addColumn('records_extracted', 'bigint')
    .addColumn('records_loaded', 'bigint')
    .addColumn('metrics', 'text', (c) => c.notNull())
    .addColumn('progress', 'text')
    .addColumn('run_finished', 'integer', (c) => c.notNull())
    .addColumn('computed_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ui_run_metrics').execute();
}
