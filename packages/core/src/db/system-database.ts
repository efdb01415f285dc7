import { type Kysely, sql } from 'kysely';
import { createRunsRepository, type RunsRepository } from '../runs/runs.repository.js';
import { createStateRepository, type StateRepository } from '../runs/state.repository.js';
import { DatabaseConnection, type DatabaseStats, type KyselyProvider } from './database-connection.js';
import type { DatabaseTarget } from './database-uri.js';
import { postgresProvider } from './postgres-connection.js';
import { listenPostgres, type NotificationListener } from './postgres-listener.js';
import { sqliteProvider } from './sqlite-connection.js';

/**
 * Meltano's system database, shared with the Python CLI. Read-only towards Meltano's tables; every
 * read copes with any alembic head from v2.0 to v4.2, and with no database or no tables yet (empty
 * results). Failures surface as DatabaseUnavailableError; later calls try again.
 */
export interface SystemDatabase {
  readonly kind: 'sqlite' | 'postgres';
  /** The URI with any password masked. */
  readonly display: string;
  readonly runs: RunsRepository;
  readonly state: StateRepository;
  /** Throws DatabaseUnavailableError; resolves while a SQLite file does not exist yet (no DB yet is fine). */
  ping(): Promise<void>;
  /**
   * Kysely on the same connection, for tables this UI owns (its own migrations create them). Errors
   * from `fn` pass through except lost connections (DatabaseUnavailableError). Throws
   * DatabaseUnavailableError while a SQLite file does not exist, unless `create` is set: the UI creates
   * the file only when it must write its own tables (starting a run before the CLI ever ran).
   */
  // biome-ignore lint/suspicious/noExplicitAny: UI-owned tables are typed by their own modules (like migrations).
  withKysely<T>(fn: (db: Kysely<any>) => Promise<T>, opts?: { create?: boolean }): Promise<T>;
  /** Pool counts and failures so far, for metrics; no query is made. */
  stats(): DatabaseStats;
  /**
   * PostgreSQL only (null on SQLite): runs `onNotify` for each NOTIFY on `channel`, and after every
   * (re)connect of its own dedicated connection. Callers poll as well: a notification is a hint.
   */
  listen(channel: string, onNotify: (payload: string) => void): NotificationListener | null;
  /** NOTIFY `channel` on PostgreSQL; nothing on SQLite. */
  notify(channel: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

export interface SystemDatabaseOptions {
  /** The clock that decides staleness of RUNNING rows and heartbeat ages. */
  now?: () => Date;
}

/** Lazy: nothing is opened or connected until the first call. */
export function openSystemDatabase(target: DatabaseTarget, opts: SystemDatabaseOptions = {}): SystemDatabase {
  const provider: KyselyProvider =
    target.kind === 'sqlite'
      ? sqliteProvider(target.file, target.display)
      : postgresProvider(target.connectionString, target.display);
  const conn = new DatabaseConnection(provider);
  const now = opts.now ?? (() => new Date());
  return {
    kind: target.kind,
    display: target.display,
    runs: createRunsRepository(conn, now),
    state: createStateRepository(conn),
    ping: () => conn.ping(),
    withKysely: (fn, o) => conn.withKysely(fn, o),
    stats: () => conn.stats(),
    listen: (channel, onNotify) =>
      target.kind === 'postgres' ? listenPostgres(target.connectionString, channel, onNotify) : null,
    async notify(channel, payload) {
      if (target.kind !== 'postgres') return;
      await conn.withKysely((k) => sql`select pg_notify(${channel}, ${payload})`.execute(k));
    },
    close: () => conn.close(),
  };
}
