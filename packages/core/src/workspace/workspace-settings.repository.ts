import type { Kysely } from 'kysely';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';

/** Row type of ui-db/migrations/0005-create-ui-workspace-settings.ts. */
export interface UiWorkspaceSettingsTable {
  key: string;
  /** JSON text. */
  value: string;
  updated_at: string;
  updated_by: string | null;
}

interface WorkspaceDatabase {
  ui_workspace_settings: UiWorkspaceSettingsTable;
}

export interface StoredWorkspaceSetting {
  value: unknown;
  updated_at: string;
  updated_by: string | null;
}

/** Key/value settings of this workspace, in the system DB so every replica reads the same ones. */
export function createWorkspaceSettingsRepository(tables: UiTables, now: () => Date = () => new Date()) {
  const withDb = <T>(fn: (db: Kysely<WorkspaceDatabase>) => Promise<T>) =>
    tables.with((db) => fn(db as Kysely<WorkspaceDatabase>));
  return {
    /** Null when never set, or while a SQLite system DB does not exist yet (reading does not create it). */
    async get(key: string): Promise<StoredWorkspaceSetting | null> {
      if (tables.kind === 'sqlite' && !(await tables.databaseExists())) return null;
      const row = await withDb((db) =>
        db.selectFrom('ui_workspace_settings').selectAll().where('key', '=', key).executeTakeFirst(),
      );
      if (row === undefined) return null;
      return {
        value: JSON.parse(row.value) as unknown,
        updated_at: row.updated_at,
        updated_by: row.updated_by,
      };
    },
    async set(key: string, value: unknown, updatedBy: string | null): Promise<void> {
      const row = {
        key,
        value: JSON.stringify(value),
        updated_at: now().toISOString(),
        updated_by: updatedBy,
      };
      await withDb((db) =>
        db
          .insertInto('ui_workspace_settings')
          .values(row)
          .onConflict((oc) =>
            oc
              .column('key')
              .doUpdateSet({ value: row.value, updated_at: row.updated_at, updated_by: updatedBy }),
          )
          .execute(),
      );
    },
    async remove(key: string): Promise<void> {
      await withDb((db) => db.deleteFrom('ui_workspace_settings').where('key', '=', key).execute());
    },
  };
}
export type WorkspaceSettingsRepository = ReturnType<typeof createWorkspaceSettingsRepository>;
