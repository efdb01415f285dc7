import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import type { AuditCursor, AuditEntry, AuditOutcome, AuditQuery } from './audit.types.js';

/** Row type of ui-db/migrations/0011-create-ui-audit-log.ts. */
export interface UiAuditLogTable {
  id: string;
  at: string;
  actor: string;
  client_ip: string | null;
  action: string;
  /** JSON object of strings. */
  target: string;
  pipeline: string | null;
  status: number;
  outcome: string;
  /** JSON object. */
  details: string;
}

interface AuditDatabase {
  ui_audit_log: UiAuditLogTable;
}

export interface StoredAuditEntry extends AuditEntry {
  id: string;
}

// SQLite's bound parameters are limited; a purge deletes in chunks so no statement holds the DB long.
const PURGE_BATCH = 500;

/** Inserts, lists and purges: nothing updates a row (the log is append-only). */
export function createAuditLogRepository(tables: UiTables) {
  const withDb = <T>(fn: (db: Kysely<AuditDatabase>) => Promise<T>) =>
    tables.with((db) => fn(db as Kysely<AuditDatabase>));

  return {
    async insert(entry: AuditEntry): Promise<void> {
      await withDb((db) =>
        db
          .insertInto('ui_audit_log')
          .values({
            id: randomUUID(),
            ...entry,
            target: JSON.stringify(entry.target),
            details: JSON.stringify(entry.details),
          })
          .execute(),
      );
    },

    /** Newest first; `before` is the cursor of the last entry of an earlier page. */
    async list(q: AuditQuery): Promise<StoredAuditEntry[]> {
      const rows = await withDb((db) => {
        let query = db.selectFrom('ui_audit_log').selectAll();
        if (q.actor) query = query.where('actor', '=', q.actor);
        if (q.action) {
          query = q.action.endsWith('*')
            ? query.where(sql<boolean>`action like ${`${escapeLike(q.action.slice(0, -1))}%`} escape '\\'`)
            : query.where('action', '=', q.action);
        }
        if (q.pipeline) query = query.where('pipeline', '=', q.pipeline);
        if (q.since) query = query.where('at', '>=', q.since);
        if (q.until) query = query.where('at', '<', q.until);
        const before = q.before;
        if (before) {
          query = query.where((eb) =>
            eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]),
          );
        }
        return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(q.limit).execute();
      });
      return rows.map(fromRow);
    },

    /** Deletes entries older than `cutoff`; returns how many. */
    async purgeBefore(cutoff: string): Promise<number> {
      let total = 0;
      for (;;) {
        const deleted = await withDb(async (db) => {
          const ids = await db
            .selectFrom('ui_audit_log')
            .select('id')
            .where('at', '<', cutoff)
            .limit(PURGE_BATCH)
            .execute();
          if (ids.length === 0) return 0;
          const result = await db
            .deleteFrom('ui_audit_log')
            .where(
              'id',
              'in',
              ids.map((r) => r.id),
            )
            .executeTakeFirst();
          return Number(result.numDeletedRows);
        });
        total += deleted;
        if (deleted < PURGE_BATCH) return total;
      }
    },
  };
}
export type AuditLogRepository = ReturnType<typeof createAuditLogRepository>;

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function parseObject(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}

function fromRow(row: UiAuditLogTable): StoredAuditEntry {
  return {
    id: row.id,
    at: row.at,
    actor: row.actor,
    client_ip: row.client_ip,
    action: row.action,
    target: parseObject(row.target) as Record<string, string>,
    pipeline: row.pipeline,
    status: Number(row.status),
    outcome: row.outcome as AuditOutcome,
    details: parseObject(row.details),
  };
}

export function encodeAuditCursor(entry: AuditCursor): string {
  return Buffer.from(JSON.stringify([entry.at, entry.id])).toString('base64url');
}

/** Null when the cursor is not one this server made. */
export function decodeAuditCursor(text: string): AuditCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { at: value[0], id: value[1] };
    }
  } catch {
    // Falls through: not ours.
  }
  return null;
}
