import { type Kysely, Migrator, sql } from 'kysely';
import type { SystemDatabase } from '../db/system-database.js';
import { CoreError } from '../errors.js';
import { UI_MIGRATIONS } from './migrations/index.js';

// The UI's migration bookkeeping lives in its own ui_ tables, apart from Meltano's alembic_version.
const MIGRATION_TABLE = 'ui_migrations';
const MIGRATION_LOCK_TABLE = 'ui_migrations_lock';

// biome-ignore lint/suspicious/noExplicitAny: the UI's tables are typed by their repositories.
async function migrate(db: Kysely<any>, kind: SystemDatabase['kind']): Promise<void> {
  // On PostgreSQL, Kysely looks for its bookkeeping tables in any schema unless told which: with
  // search_path pointing at one schema among several holding ui_ tables, it would find the wrong one.
  const schema =
    kind === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => UI_MIGRATIONS },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CoreError('ui_migration_failed', 503, `Could not create the Meltano UI's tables: ${reason}`);
  }
}

/**
 * The UI's own tables, created on first use (not at boot: a project whose system DB does not exist yet
 * must still start read-only). One migration per database handle; a failure is retried next time.
 */
export function uiTables(db: SystemDatabase) {
  let ready: Promise<void> | null = null;
  return {
    kind: db.kind,
    // biome-ignore lint/suspicious/noExplicitAny: see migrate().
    async with<T>(fn: (k: Kysely<any>) => Promise<T>): Promise<T> {
      ready ??= db
        .withKysely((k) => migrate(k, db.kind), { create: true })
        .catch((err: unknown) => {
          ready = null;
          throw err;
        });
      await ready;
      return db.withKysely(fn, { create: true });
    },
    /** False while a SQLite system DB does not exist yet (or cannot be reached): nothing of ours is there. */
    async databaseExists(): Promise<boolean> {
      return db.withKysely(async () => true).catch(() => false);
    },
  };
}
export type UiTables = ReturnType<typeof uiTables>;
