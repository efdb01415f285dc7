import type { SystemDatabase } from '../db/system-database.js';
import { DatabaseUnavailableError } from '../errors.js';
import { type PickleValue, unpickle } from './python-pickle.js';

/** One enabled `plugin_settings` row with its pickled value decoded. */
export interface PluginSettingRow {
  /** `<plugin_type>.<plugin_name>.default`, or `meltano` for project settings. */
  namespace: string;
  name: string;
  value: PickleValue;
}

export interface PluginSettingRows {
  rows: PluginSettingRow[];
  /** Rows whose value could not be decoded (named, never their bytes). */
  undecodable: { namespace: string; name: string; reason: string }[];
}

/** Meltano's namespace for a plugin's rows; "default" is a leftover of v1 configuration profiles. */
export function pluginDbNamespace(type: string, name: string): string {
  return `${type}.${name}.default`;
}

export const PROJECT_DB_NAMESPACE = 'meltano';

function toBytes(value: unknown): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  // pg hands bytea back as a Buffer (a Uint8Array); a text column would be a hex or raw string.
  if (typeof value === 'string') {
    return value.startsWith('\\x') ? Uint8Array.from(Buffer.from(value.slice(2), 'hex')) : null;
  }
  return null;
}

/** SQLite boolean = 1, PostgreSQL = true; Meltano only reads `enabled = True` rows. */
function isEnabled(value: unknown): boolean {
  return value === true || value === 1 || value === '1' || value === 't';
}

/** Decode rows as they come from `SELECT name, namespace, value, enabled FROM plugin_settings`. */
export function decodePluginSettingRows(
  raw: { name: unknown; namespace: unknown; value: unknown; enabled: unknown }[],
): PluginSettingRows {
  const result: PluginSettingRows = { rows: [], undecodable: [] };
  for (const row of raw) {
    if (typeof row.name !== 'string' || typeof row.namespace !== 'string' || !isEnabled(row.enabled))
      continue;
    const where = { namespace: row.namespace, name: row.name };
    if (row.value === null || row.value === undefined) {
      result.rows.push({ ...where, value: null });
      continue;
    }
    const bytes = toBytes(row.value);
    if (!bytes) {
      result.undecodable.push({ ...where, reason: 'value is not binary' });
      continue;
    }
    try {
      result.rows.push({ ...where, value: unpickle(bytes) });
    } catch (error) {
      result.undecodable.push({ ...where, reason: (error as Error).message });
    }
  }
  return result;
}

/**
 * Every enabled row of Meltano's `plugin_settings`. No database file yet, or no table yet, means no
 * rows: the CLI creates both on its first command, and settings still resolve from the other layers.
 */
export async function readPluginSettingRows(db: SystemDatabase): Promise<PluginSettingRows> {
  try {
    return await db.withKysely(async (kysely) => {
      const tables = await kysely.introspection.getTables();
      if (!tables.some((table) => table.name === 'plugin_settings')) return { rows: [], undecodable: [] };
      const raw = await kysely
        .selectFrom('plugin_settings')
        .select(['name', 'namespace', 'value', 'enabled'])
        .execute();
      return decodePluginSettingRows(raw);
    });
  } catch (error) {
    // withKysely's one "not there yet" case; lost connections and other failures still surface.
    if (error instanceof DatabaseUnavailableError && /does not exist yet/.test(error.message)) {
      return { rows: [], undecodable: [] };
    }
    throw error;
  }
}
