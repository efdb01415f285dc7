import type { DatabaseConnection } from '../db/database-connection.js';
import type { StateTable } from '../db/meltano-tables.js';
import { naiveTimestampToIso } from '../db/timestamps.js';

/** The Singer state Meltano keeps per state ID (table `state`, Meltano 2.7+). */
export interface StateView {
  state_id: string;
  /** Parsed JSON; the raw text when it is not JSON; null when the column is NULL. */
  completed_state: unknown;
  partial_state: unknown;
  /** partial_state deep-merged onto completed_state: the state the next run resumes from. */
  merged: unknown;
  /** As written by the CLI: the CLI host's *local* time (`datetime.now()`), so no zone: `2026-11-21T04:33:21.637379`. */
  updated_at: string | null;
}

export interface StateRepository {
  /** Null when the state ID has no row or the database has no `state` table (before Meltano 2.7). */
  get(stateId: string): Promise<StateView | null>;
  /** Every stored state, ordered by state ID (code point order). */
  list(): Promise<StateView[]>;
}

export function createStateRepository(conn: DatabaseConnection): StateRepository {
  return {
    get(stateId) {
      return conn.read(
        async ({ db, schema }) => {
          if (!schema.state) return null;
          const row = await db
            .selectFrom('state')
            .selectAll()
            .where('state_id', '=', stateId)
            .executeTakeFirst();
          return row ? toStateView(row) : null;
        },
        () => null,
      );
    },
    list() {
      return conn.read(
        async ({ db, schema }) => {
          if (!schema.state) return [];
          const rows = await db.selectFrom('state').selectAll().execute();
          // Sorted here, not in SQL: PostgreSQL collations would order ':' and '-' unlike SQLite.
          return rows
            .map(toStateView)
            .sort((a, b) => (a.state_id < b.state_id ? -1 : a.state_id > b.state_id ? 1 : 0));
        },
        () => [],
      );
    },
  };
}

function toStateView(row: StateTable): StateView {
  const completed = parseJson(row.completed_state);
  const partial = parseJson(row.partial_state);
  return {
    state_id: row.state_id,
    completed_state: completed,
    partial_state: partial,
    merged: mergeState(partial, completed),
    updated_at: naiveTimestampToIso(row.updated_at),
  };
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Meltano's `merge(partial, completed)` (meltano/core/utils): objects merge key by key, recursively;
 * anything else in the partial state replaces the completed value. Inputs are not modified.
 */
export function mergeState(partial: unknown, completed: unknown): unknown {
  if (!isObject(partial)) return isObject(completed) ? structuredClone(completed) : (completed ?? {});
  const base: JsonObject = isObject(completed) ? structuredClone(completed) : {};
  return mergeInto(base, partial);
}

function mergeInto(dest: JsonObject, src: JsonObject): JsonObject {
  for (const [key, value] of Object.entries(src)) {
    const current = Object.hasOwn(dest, key) ? dest[key] : undefined;
    const merged = isObject(value)
      ? mergeInto(isObject(current) ? current : {}, value)
      : structuredClone(value);
    // defineProperty, not assignment: a "__proto__" key in stored JSON must stay a plain key.
    Object.defineProperty(dest, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return dest;
}
