import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add the next file instead.
// Column types behave the same on SQLite and PostgreSQL; timestamps are ISO 8601 UTC text.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's table types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ui_launches')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('pipeline_kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('pipeline_name', 'varchar(500)', (c) => c.notNull())
    .addColumn('state_ids', 'text', (c) => c.notNull())
    .addColumn('run_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('executable', 'text', (c) => c.notNull())
    .addColumn('argv', 'text', (c) => c.notNull())
    .addColumn('host', 'varchar(255)', (c) => c.notNull())
    .addColumn('pid', 'integer')
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('exit_code', 'integer')
    .addColumn('signal', 'varchar(16)')
    .addColumn('error', 'text')
    .addColumn('capture_file', 'text', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('ended_at', 'varchar(32)')
    .addColumn('cancel_requested_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('ui_launches_run_id').on('ui_launches').column('run_id').execute();
  // One row per state ID while a launch of it is starting or running: the primary key is what
  // refuses a second start, across requests, processes and replicas sharing the database.
  await db.schema
    .createTable('ui_launch_locks')
    .addColumn('state_id', 'varchar(900)', (c) => c.primaryKey())
    .addColumn('launch_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ui_launch_locks').execute();
  await db.schema.dropTable('ui_launches').execute();
}
