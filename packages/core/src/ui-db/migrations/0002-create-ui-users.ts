import { type Kysely, sql } from 'kysely';

// Frozen: never edit a migration that has shipped; add the next file instead.
// Portable types: ids and hashes as varchar, booleans as integer 0/1, timestamps as ISO 8601 UTC text.

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's table types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('ui_users')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('username', 'varchar(255)', (c) => c.notNull())
    .addColumn('email', 'varchar(255)')
    // NULL: the user cannot sign in with a password (Meltano's GitLab users).
    .addColumn('password_hash', 'varchar(255)')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_login_at', 'varchar(32)')
    .addColumn('login_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('imported_from_meltano_id', 'integer')
    .execute();
  // Sign-in matches user names and emails case-insensitively (as Meltano did), so uniqueness does too.
  await db.schema
    .createIndex('ui_users_username_unique')
    .on('ui_users')
    .unique()
    .expression(sql`lower(username)`)
    .execute();
  await db.schema
    .createIndex('ui_users_email_unique')
    .on('ui_users')
    .unique()
    .expression(sql`lower(email)`)
    .execute();

  await db.schema
    .createTable('ui_roles')
    .addColumn('name', 'varchar(80)', (c) => c.primaryKey())
    .addColumn('description', 'varchar(255)')
    .execute();
  await db
    .insertInto('ui_roles')
    .values([
      { name: 'admin', description: 'Everything, including users and roles' },
      { name: 'regular', description: 'Everything but user and role management' },
      { name: 'viewer', description: 'Read only' },
    ])
    .execute();

  await db.schema
    .createTable('ui_user_roles')
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('ui_users.id').onDelete('cascade'))
    .addColumn('role_name', 'varchar(80)', (c) => c.notNull().references('ui_roles.name').onDelete('cascade'))
    .addPrimaryKeyConstraint('ui_user_roles_pkey', ['user_id', 'role_name'])
    .execute();

  // id = sha256 (hex) of the random token in the cookie: a leaked table does not yield live sessions.
  await db.schema
    .createTable('ui_sessions')
    .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('ui_users.id').onDelete('cascade'))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_seen_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('absolute_expires_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('ip', 'varchar(64)')
    .addColumn('user_agent', 'varchar(512)')
    .execute();
  await db.schema.createIndex('ui_sessions_user_id').on('ui_sessions').column('user_id').execute();
  await db.schema.createIndex('ui_sessions_expires_at').on('ui_sessions').column('expires_at').execute();

  await db.schema
    .createTable('ui_api_tokens')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('user_id', 'varchar(36)', (c) => c.notNull().references('ui_users.id').onDelete('cascade'))
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('token_hash', 'varchar(64)', (c) => c.notNull().unique())
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('last_used_at', 'varchar(32)')
    .addColumn('revoked_at', 'varchar(32)')
    .execute();
  await db.schema.createIndex('ui_api_tokens_user_id').on('ui_api_tokens').column('user_id').execute();

  // One row per one-off data import (e.g. Meltano's old `user` table), so it runs once per database.
  await db.schema
    .createTable('ui_imports')
    .addColumn('name', 'varchar(80)', (c) => c.primaryKey())
    .addColumn('completed_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('details', 'text')
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ui_imports').execute();
  await db.schema.dropTable('ui_api_tokens').execute();
  await db.schema.dropTable('ui_sessions').execute();
  await db.schema.dropTable('ui_user_roles').execute();
  await db.schema.dropTable('ui_roles').execute();
  await db.schema.dropTable('ui_users').execute();
}
