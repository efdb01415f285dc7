import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add the next file instead.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's table types.
export async function up(db: Kysely<any>): Promise<void> {
  // The run options a launch was started with (JSON of the options set; null: none, or a launch from
  // before options), and the runs.id of the failed run it retries (null: not a retry).
  await db.schema.alterTable('ui_launches').addColumn('options', 'text').execute();
  await db.schema.alterTable('ui_launches').addColumn('retry_of_run_id', 'bigint').execute();
  await db.schema
    .createIndex('ui_launches_retry_of_run_id')
    .on('ui_launches')
    .column('retry_of_run_id')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('ui_launches_retry_of_run_id').execute();
  await db.schema.alterTable('ui_launches').dropColumn('retry_of_run_id').execute();
  await db.schema.alterTable('ui_launches').dropColumn('options').execute();
}
