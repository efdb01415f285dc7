import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add the next file instead.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's table types.
export async function up(db: Kysely<any>): Promise<void> {
  // The old Meltano UI's subscriptions ("Notify me" on a pipeline), made through its compatible API:
  // Meltano 2's `subscriptions` columns (Meltano 3 dropped that table), read by ui.notification.
  await db.schema
    .createTable('ui_subscriptions')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('recipient', 'varchar(255)', (c) => c.notNull())
    .addColumn('event_type', 'varchar(255)', (c) => c.notNull())
    .addColumn('source_type', 'varchar(255)')
    .addColumn('source_id', 'varchar(255)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addUniqueConstraint('ui_subscriptions_unique', ['recipient', 'event_type', 'source_type', 'source_id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ui_subscriptions').execute();
}
