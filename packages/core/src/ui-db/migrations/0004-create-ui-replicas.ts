import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add the next file instead.
// Portable types: ids as varchar, timestamps as ISO 8601 UTC text (they sort as they compare).

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's table types.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per running UI server process (replica) on this database, its heartbeat in `seen_at`: a
  // replica whose row goes quiet is gone, and another one may take over what it launched.
  await db.schema
    .createTable('ui_replicas')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('host', 'varchar(255)', (c) => c.notNull())
    .addColumn('pid', 'integer', (c) => c.notNull())
    .addColumn('started_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('seen_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  // The replica that owns a launch (started or adopted it); NULL on launches recorded before replicas
  // were known, which keep the old rule (only their host can act on them).
  await db.schema.alterTable('ui_launches').addColumn('replica_id', 'varchar(36)').execute();
  // A cancel asked through another replica: who asked, through which replica, and when the owner acted.
  await db.schema.alterTable('ui_launches').addColumn('cancel_requested_by', 'varchar(255)').execute();
  await db.schema.alterTable('ui_launches').addColumn('cancel_requested_via', 'varchar(36)').execute();
  await db.schema.alterTable('ui_launches').addColumn('cancel_acted_at', 'varchar(32)').execute();
  await db.schema.alterTable('ui_launches').addColumn('cancel_acted_by', 'varchar(36)').execute();
  await db.schema.createIndex('ui_launches_replica_id').on('ui_launches').column('replica_id').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('ui_launches_replica_id').execute();
  for (const column of [
    'cancel_acted_by',
    'cancel_acted_at',
    'cancel_requested_via',
    'cancel_requested_by',
    'replica_id',
  ]) {
    await db.schema.alterTable('ui_launches').dropColumn(column).execute();
  }
  await db.schema.dropTable('ui_replicas').execute();
}
