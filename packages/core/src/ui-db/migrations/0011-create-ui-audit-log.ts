import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add the next file instead.
// Portable types: ids as varchar, JSON as text, timestamps as ISO 8601 UTC text (they sort as they
// compare).

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's table types.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per change asked of the API, answered or refused: append-only (nothing updates a row;
  // only the retention purge deletes). `target` is the route's parameters (JSON), `pipeline` the
  // schedule or job it concerns (for the filter), `details` what the route chose to add (JSON, never a
  // secret value).
  await db.schema
    .createTable('ui_audit_log')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('at', 'varchar(32)', (c) => c.notNull())
    .addColumn('actor', 'varchar(255)', (c) => c.notNull())
    .addColumn('client_ip', 'varchar(64)')
    .addColumn('action', 'varchar(255)', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('pipeline', 'varchar(255)')
    .addColumn('status', 'integer', (c) => c.notNull())
    .addColumn('outcome', 'varchar(16)', (c) => c.notNull())
    .addColumn('details', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ui_audit_log_at').on('ui_audit_log').columns(['at', 'id']).execute();
  await db.schema.createIndex('ui_audit_log_actor').on('ui_audit_log').column('actor').execute();
  await db.schema.createIndex('ui_audit_log_pipeline').on('ui_audit_log').column('pipeline').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ui_audit_log').execute();
}
