import { InvalidInputError } from '../errors.js';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import type { AuditEntry, AuditQuery } from './audit.types.js';
import {
  type AuditLogRepository,
  createAuditLogRepository,
  decodeAuditCursor,
  encodeAuditCursor,
  type StoredAuditEntry,
} from './audit-log.repository.js';

/** The filters of the Audit page and of the export. */
export type AuditFilters = Omit<AuditQuery, 'before' | 'limit'>;

export interface AuditPage {
  items: StoredAuditEntry[];
  /** Null: this page is the last. */
  next_cursor: string | null;
}

export interface AuditLogOptions {
  tables: UiTables;
  /** `ui.audit_retention_days`: entries older than this are purged. */
  retentionDays: number;
  now?: () => Date;
  /** How often the purge runs once started (ms); default hourly. */
  purgeEveryMs?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const EXPORT_BATCH = 500;
// A database that is down must not grow the queue without bound: past this, new entries are dropped
// (and the drop reported), oldest first kept.
const MAX_QUEUED = 10_000;

/**
 * The audit log: `record` queues an entry and returns at once (the request never waits for, or fails
 * with, the write); entries are written one at a time in order. `startPurge` deletes entries past the
 * retention now and then hourly; `close` stops it and waits for the queue.
 */
export function createAuditLog(opts: AuditLogOptions) {
  const repo: AuditLogRepository = createAuditLogRepository(opts.tables);
  const now = opts.now ?? (() => new Date());
  const queue: AuditEntry[] = [];
  let draining: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  const listeners = new Set<(what: 'write' | 'purge', err: unknown) => void>();
  const failed = (what: 'write' | 'purge', err: unknown) => {
    for (const listener of listeners) listener(what, err);
  };

  const drain = async () => {
    for (let entry = queue.shift(); entry !== undefined; entry = queue.shift()) {
      try {
        await repo.insert(entry);
      } catch (err) {
        failed('write', err);
      }
    }
  };
  const purge = async (): Promise<number> => {
    const cutoff = new Date(now().getTime() - opts.retentionDays * DAY_MS).toISOString();
    return repo.purgeBefore(cutoff);
  };

  return {
    retentionDays: opts.retentionDays,
    /** Hears every failed write or purge (the server logs a warning); returns the unsubscribe. */
    onFailure(listener: (what: 'write' | 'purge', err: unknown) => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    record(entry: AuditEntry): void {
      if (queue.length >= MAX_QUEUED) {
        failed('write', new Error('the audit queue is full; entry dropped'));
        return;
      }
      queue.push(entry);
      draining ??= drain().finally(() => {
        draining = null;
      });
    },
    /** Resolves once every entry recorded so far is written (or has failed). */
    async idle(): Promise<void> {
      while (draining) await draining;
    },
    /** Newest first; `cursor` is the `next_cursor` of an earlier page. */
    async page(filters: AuditFilters, cursor: string | null, limit: number): Promise<AuditPage> {
      if (!Number.isInteger(limit) || limit < 1) {
        throw new InvalidInputError('limit must be a positive integer', { field: 'limit' });
      }
      const before = cursor === null ? null : decodeAuditCursor(cursor);
      if (cursor !== null && before === null) {
        throw new InvalidInputError('cursor is not one this API gave out', { field: 'cursor' });
      }
      const rows = await repo.list({ ...filters, before, limit: limit + 1 });
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, next_cursor: rows.length > limit && last ? encodeAuditCursor(last) : null };
    },
    /** Every matching entry, newest first, read in batches (for the JSON lines export). */
    async *entries(filters: AuditFilters): AsyncGenerator<StoredAuditEntry> {
      let before: StoredAuditEntry | null = null;
      for (;;) {
        const rows = await repo.list({ ...filters, before, limit: EXPORT_BATCH });
        yield* rows;
        if (rows.length < EXPORT_BATCH) return;
        before = rows.at(-1) ?? null;
      }
    },
    /** Deletes the entries past the retention now; returns how many. */
    purge,
    startPurge(): void {
      if (timer) return;
      const run = () =>
        void purge().catch((err: unknown) => {
          failed('purge', err);
        });
      run();
      timer = setInterval(run, opts.purgeEveryMs ?? 60 * 60 * 1000);
      timer.unref();
    },
    async close(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await this.idle();
    },
  };
}
export type AuditLog = ReturnType<typeof createAuditLog>;
