import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add the next file instead.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's table types.
export async function up(db: Kysely<any>): Promise<void> {
  // The newest launch of a kind (the last `meltano upgrade`) without reading every run launched.
  await db.schema
    .createIndex('ui_launches_kind_created_at')
    .on('ui_launches')
    .columns(['pipeline_kind', 'created_at'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('ui_launches_kind_created_at').execute();
}
