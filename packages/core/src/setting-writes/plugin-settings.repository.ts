import type { Kysely } from 'kysely';
import type { SystemDatabase } from '../db/system-database.js';
import { CoreError } from '../errors.js';

/** Meltano's `plugin_settings` as its migrations create it (`label` is DATETIME on v2 SQLite, always NULL). */
interface PluginSettingsTable {
  label: string | null;
  description: string | null;
  name: string;
  namespace: string;
  /** SQLAlchemy PickleType: BLOB on SQLite, bytea on PostgreSQL. */
  value: Uint8Array | null;
  /** 1/0 on SQLite, boolean on PostgreSQL. */
  enabled: number | boolean | null;
}

type SettingsDb = Kysely<{ plugin_settings: PluginSettingsTable }>;

/** The table belongs to the CLI: without it (no `meltano` command ran yet) nothing is created here. */
async function withTable<T>(db: SystemDatabase, fn: (kysely: SettingsDb) => Promise<T>): Promise<T> {
  return db.withKysely(async (kysely: SettingsDb) => {
    const tables = await kysely.introspection.getTables();
    if (!tables.some((table) => table.name === 'plugin_settings')) {
      throw new CoreError(
        'system_database_not_initialized',
        503,
        'The system database has no plugin_settings table yet; run any meltano command once to create it',
      );
    }
    return fn(kysely);
  });
}

/** `session.merge(Setting(namespace, name, value, enabled=True))`: insert, or replace the value. */
export async function upsertSettingRow(
  db: SystemDatabase,
  row: { namespace: string; name: string; value: Uint8Array },
): Promise<void> {
  const value = Buffer.from(row.value);
  const enabled = db.kind === 'sqlite' ? 1 : true;
  await withTable(db, (kysely) =>
    kysely
      .insertInto('plugin_settings')
      .values({ label: null, description: null, name: row.name, namespace: row.namespace, value, enabled })
      .onConflict((conflict) => conflict.columns(['name', 'namespace']).doUpdateSet({ value, enabled }))
      .execute(),
  );
}

/** Meltano's DB unset: the row goes whether or not it is enabled. True when there was one. */
export async function deleteSettingRow(
  db: SystemDatabase,
  row: { namespace: string; name: string },
): Promise<boolean> {
  const result = await withTable(db, (kysely) =>
    kysely
      .deleteFrom('plugin_settings')
      .where('namespace', '=', row.namespace)
      .where('name', '=', row.name)
      .executeTakeFirst(),
  );
  return result.numDeletedRows > 0n;
}
