import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add the next file instead.
// Portable types: timestamps as ISO 8601 UTC text (they sort as they compare).

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's table types.
export async function up(db: Kysely<any>): Promise<void> {
  // Sign-in attempts per user name or client IP, shared by every replica: one row per key, its window
  // opened by the first attempt of a burst. The upsert that bumps `attempts` is the reservation.
  await db.schema
    .createTable('ui_login_attempts')
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('key', 'varchar(255)', (c) => c.notNull())
    .addColumn('window_start', 'varchar(32)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ui_login_attempts_pkey', ['kind', 'key'])
    .execute();
  await db.schema
    .createIndex('ui_login_attempts_window_start')
    .on('ui_login_attempts')
    .column('window_start')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ui_login_attempts').execute();
}
