import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add the next file instead.
// Column types behave the same on SQLite and PostgreSQL; timestamps are ISO 8601 UTC text.
// Creates only its own tables, so it runs whether or not the migrations numbered before it exist.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's table types.
export async function up(db: Kysely<any>): Promise<void> {
  // Deployment history: one row per requested deployment (or ignored webhook delivery).
  await db.schema
    .createTable('ui_deployments')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('trigger', 'varchar(16)', (c) => c.notNull())
    .addColumn('branch', 'varchar(255)', (c) => c.notNull())
    .addColumn('requested_commit', 'varchar(64)')
    .addColumn('commit', 'varchar(64)')
    .addColumn('previous_commit', 'varchar(64)')
    .addColumn('author', 'text')
    .addColumn('message', 'text')
    .addColumn('requested_by', 'varchar(255)')
    .addColumn('delivery_id', 'varchar(100)')
    .addColumn('reason', 'text')
    .addColumn('error', 'text')
    .addColumn('installed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('log', 'text', (c) => c.notNull().defaultTo(''))
    // Set while queued or running, null once it ended: the unique index makes a second request for
    // the same commit (a webhook redelivered, two replicas at once) find the first instead.
    .addColumn('dedup_key', 'varchar(100)')
    .addColumn('host', 'varchar(255)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('started_at', 'varchar(32)')
    .addColumn('ended_at', 'varchar(32)')
    .addColumn('heartbeat_at', 'varchar(32)')
    .execute();
  await db.schema
    .createIndex('ui_deployments_dedup_key')
    .on('ui_deployments')
    .column('dedup_key')
    .unique()
    .execute();
  await db.schema
    .createIndex('ui_deployments_created_at')
    .on('ui_deployments')
    .column('created_at')
    .execute();
  // One row while a deployment runs, whichever replica runs it: the primary key is the lock.
  await db.schema
    .createTable('ui_deployment_lock')
    .addColumn('name', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('deployment_id', 'varchar(36)', (c) => c.notNull())
    .addColumn('host', 'varchar(255)', (c) => c.notNull())
    .addColumn('acquired_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('heartbeat_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ui_deployment_lock').execute();
  await db.schema.dropTable('ui_deployments').execute();
}
