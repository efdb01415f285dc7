import type { Kysely } from 'kysely';

// Frozen: never edit a migration that has shipped; add the next file instead.
// Portable types: ids as varchar, JSON as text, booleans as integer 0/1, timestamps as ISO 8601 UTC
// text (they sort as they compare).

// biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the app's table types.
export async function up(db: Kysely<any>): Promise<void> {
  // Where notifications go. `config` holds what may be shown back (SMTP host, recipients); `secret`
  // the rest (webhook URLs, signing secrets, SMTP passwords) as AES-256-GCM ciphertext under a key
  // derived from ui.secret_key, so a copy of the database alone does not yield them.
  await db.schema
    .createTable('ui_notification_channels')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('kind', 'varchar(16)', (c) => c.notNull())
    .addColumn('name', 'varchar(255)', (c) => c.notNull())
    .addColumn('config', 'text', (c) => c.notNull())
    .addColumn('secret', 'text')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .execute();

  // What to notify: events (JSON list) of some pipelines (JSON list of names; NULL: all). A rule only
  // fires for what happened after `created_at`.
  await db.schema
    .createTable('ui_notification_rules')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('channel_id', 'varchar(36)', (c) =>
      c.notNull().references('ui_notification_channels.id').onDelete('cascade'),
    )
    .addColumn('events', 'text', (c) => c.notNull())
    .addColumn('pipelines', 'text')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('ui_notification_rules_channel_id')
    .on('ui_notification_rules')
    .column('channel_id')
    .execute();

  // One row per (rule, event): the claim and the delivery log at once. Every replica sees every event;
  // the one whose insert wins the unique key sends it. `rule_key` is `rule:<id>`, `legacy-email`
  // (ui.notification) or `test:<id>`; `event_key` names the event (`run:<runs.id>:failed`,
  // `late:<schedule>:<expected start>`). `payload` is the message content, so any replica can retry
  // it. A `sending` row whose lease ran out (its replica died mid-send) is taken over.
  await db.schema
    .createTable('ui_notification_deliveries')
    .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
    .addColumn('rule_key', 'varchar(64)', (c) => c.notNull())
    .addColumn('event_key', 'varchar(512)', (c) => c.notNull())
    .addColumn('rule_id', 'varchar(36)')
    .addColumn('channel_id', 'varchar(36)')
    .addColumn('event', 'varchar(16)', (c) => c.notNull())
    .addColumn('pipeline', 'varchar(255)')
    .addColumn('run_id', 'bigint')
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('response_code', 'integer')
    .addColumn('next_attempt_at', 'varchar(32)')
    .addColumn('lease_owner', 'varchar(36)')
    .addColumn('lease_token', 'varchar(36)')
    .addColumn('lease_until', 'varchar(32)')
    .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
    .addColumn('delivered_at', 'varchar(32)')
    .addUniqueConstraint('ui_notification_deliveries_claim', ['rule_key', 'event_key'])
    .execute();
  await db.schema
    .createIndex('ui_notification_deliveries_due')
    .on('ui_notification_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('ui_notification_deliveries_created_at')
    .on('ui_notification_deliveries')
    .columns(['created_at', 'id'])
    .execute();
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ui_notification_deliveries').execute();
  await db.schema.dropTable('ui_notification_rules').execute();
  await db.schema.dropTable('ui_notification_channels').execute();
}
