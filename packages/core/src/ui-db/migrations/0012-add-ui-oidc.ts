import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add the next file instead.
// Portable types: ids and hashes as varchar, booleans as integer 0/1, timestamps as ISO 8601 UTC text.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's table types.
export async function up(db: Kysely<any>): Promise<void> {
  // Single sign-on (OpenID Connect): the identity a user signs in with, linked by issuer + subject
  // (never by email). Null for local users. `roles_pinned` 1: an admin's choice of roles is kept
  // instead of the role map applied at each sign-in.
  await db.schema.alterTable('ui_users').addColumn('oidc_issuer', 'varchar(255)').execute();
  await db.schema.alterTable('ui_users').addColumn('oidc_subject', 'varchar(255)').execute();
  await db.schema
    .alterTable('ui_users')
    .addColumn('roles_pinned', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .createIndex('ui_users_oidc_identity_unique')
    .on('ui_users')
    .columns(['oidc_issuer', 'oidc_subject'])
    .unique()
    .execute();

  // Sign-ins under way (between the redirect to the provider and its callback), shared by every
  // replica. `id` is the sha256 of the random value in the browser's flow cookie; the row is deleted
  // when the callback consumes it, so a replayed state finds nothing.
  await db.schema
    .createTable('ui_oidc_flows')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('state', 'varchar(128)', (c) => c.notNull())
    .addColumn('nonce', 'varchar(128)', (c) => c.notNull())
    .addColumn('code_verifier', 'varchar(128)', (c) => c.notNull())
    .addColumn('redirect_uri', 'varchar(2048)', (c) => c.notNull())
    .addColumn('next_path', 'varchar(2048)', (c) => c.notNull())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ui_oidc_flows_expires_at').on('ui_oidc_flows').column('expires_at').execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ui_oidc_flows').execute();
  await db.schema.dropIndex('ui_users_oidc_identity_unique').execute();
  await db.schema.alterTable('ui_users').dropColumn('roles_pinned').execute();
  await db.schema.alterTable('ui_users').dropColumn('oidc_subject').execute();
  await db.schema.alterTable('ui_users').dropColumn('oidc_issuer').execute();
}
