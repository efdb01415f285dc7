import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add the next file instead.
// Portable types: timestamps as ISO 8601 UTC text; bigint is INTEGER on SQLite.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's table types.
export async function up(db: Kysely<any>): Promise<void> {
  // The failure cause read from a failed run's elt.log, once for every replica. `log_size` and
  // `log_mtime` are the log as it was read (null: no log), so a log that grew is read again; `kind`
  // null means the log held no cause.
  await db.schema
    .createTable('ui_run_failure_causes')
    .addColumn('run_id', 'bigint', (c) => c.primaryKey())
    .addColumn('log_size', 'bigint')
    .addColumn('log_mtime', 'varchar(32)')
    .addColumn('kind', 'varchar(16)')
    .addColumn('message', 'text')
    .addColumn('line', 'bigint')
    .addColumn('source', 'varchar(255)')
    .addColumn('cmd_type', 'varchar(32)')
    .addColumn('computed_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ui_run_failure_causes').execute();
}
