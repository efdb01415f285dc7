import type { Kysely } from 'kysely';
import { CoreError, DatabaseUnavailableError } from '../errors.js';
import { isSchemaSettled, type MeltanoSchema, probeMeltanoSchema } from './meltano-schema.js';
import type { MeltanoDatabase } from './meltano-tables.js';
import { BUSY_WAIT_MS } from './sqlite-connection.js';

export type Dialect = 'sqlite' | 'postgres';

/** A pg Pool's counts at one moment (pg's totalCount, idleCount, waitingCount). */
export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** What an operator's metrics read about the system database; reading it touches no connection. */
export interface DatabaseStats {
  dialect: Dialect;
  /** Calls that failed as DatabaseUnavailableError since the process started. */
  unavailableErrors: number;
  /** The current pool (PostgreSQL); null for SQLite, which has one file handle and no pool. */
  pool: PoolStats | null;
}

/** Hands out the Kysely instance of one database; null while a SQLite file does not exist yet. */
export interface KyselyProvider {
  readonly dialect: Dialect;
  readonly display: string;
  get(): Kysely<MeltanoDatabase> | null;
  /** Like get(), but creates a missing SQLite file (Meltano's migrations accept a DB holding only ui_ tables). */
  create(): Kysely<MeltanoDatabase>;
  /**
   * Drops pooled connections after one was lost, so the next call starts afresh. Only when `failed`
   * is still the current instance: a late failure on an old pool must not discard a fresh one.
   */
  reset(failed: Kysely<MeltanoDatabase>): void;
  destroy(): Promise<void>;
  /**
   * Statements that may run for seconds (an index over a big table), off the request path: on SQLite
   * in a worker thread with its own connection, on PostgreSQL on a connection of its own without the
   * pool's query timeout. Rejects with the database's error.
   */
  runLong(statements: readonly string[]): Promise<void>;
  /** The current pool's counts, when there is a pool. */
  poolStats?(): PoolStats;
}

/** What a repository gets for one call: the database and which Meltano tables it has. */
export interface DbSession {
  readonly db: Kysely<MeltanoDatabase>;
  readonly dialect: Dialect;
  readonly schema: MeltanoSchema;
}

/**
 * The one gateway between repositories and a database: lazy connection, Meltano schema detection
 * (cached once the schema is at v2.7+, re-read after a failing query), and error mapping to
 * DatabaseUnavailableError.
 */
export class DatabaseConnection {
  readonly #provider: KyselyProvider;
  #schema: MeltanoSchema | null = null;
  #closed = false;
  #unavailableErrors = 0;
  /** After a server stopped answering (a timeout, not a refusal): fail at once until then. */
  #silentUntil = 0;
  #silentError: unknown = null;

  constructor(provider: KyselyProvider) {
    this.#provider = provider;
  }

  get dialect(): Dialect {
    return this.#provider.dialect;
  }

  get display(): string {
    return this.#provider.display;
  }

  /** Runs a read of Meltano's tables; `whenNoDatabase` answers while the SQLite file is missing. */
  async read<T>(fn: (session: DbSession) => Promise<T>, whenNoDatabase: () => T): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      let db: Kysely<MeltanoDatabase> | null = null;
      try {
        db = this.#kysely();
        if (db === null) return whenNoDatabase();
        const schema = this.#schema ?? (await probeMeltanoSchema(db, this.dialect));
        if (isSchemaSettled(schema)) this.#schema = schema;
        return await fn({ db, dialect: this.dialect, schema });
      } catch (err) {
        this.#schema = null;
        if (err instanceof CoreError) throw err;
        // The CLI migrated (renamed or added a table) since the schema was read: read it again once.
        if (attempt === 0 && isSchemaChange(err)) continue;
        if (isConnectionError(err)) {
          this.#noteSilence(err);
          if (db !== null) this.#provider.reset(db);
          // An established connection was cut (server restarted, backend terminated): reads are
          // idempotent, so try once more on a fresh connection. A refused connect fails at once.
          if (attempt === 0 && isConnectionLost(err)) continue;
        }
        throw this.#unavailable(err);
      }
    }
  }

  /** A real round trip (the schema cache is not enough), retried like any read. */
  async ping(): Promise<void> {
    await this.read(
      async ({ db, dialect }) => {
        await probeMeltanoSchema(db, dialect);
      },
      () => undefined,
    );
  }

  /**
   * Raw access for tables this UI owns. Errors from `fn` pass through, except lost connections, which
   * become DatabaseUnavailableError. A SQLite file that does not exist yet is an error here: only the
   * CLI creates it.
   */
  // biome-ignore lint/suspicious/noExplicitAny: UI-owned tables are typed by their own modules (like migrations).
  async withKysely<T>(fn: (db: Kysely<any>) => Promise<T>, opts: { create?: boolean } = {}): Promise<T> {
    const db = opts.create ? this.#created() : this.#kysely();
    if (db === null) {
      throw new DatabaseUnavailableError(
        `The system database ${this.display} does not exist yet; run a meltano command (e.g. meltano upgrade database) to create it`,
      );
    }
    try {
      return await fn(db);
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      this.#noteSilence(err);
      this.#provider.reset(db);
      throw this.#unavailable(err);
    }
  }

  /** See KyselyProvider.runLong; a lost connection becomes DatabaseUnavailableError. */
  async runLong(statements: readonly string[]): Promise<void> {
    try {
      await this.#provider.runLong(statements);
    } catch (err) {
      throw isConnectionError(err) ? this.#unavailable(err) : err;
    }
  }

  stats(): DatabaseStats {
    return {
      dialect: this.dialect,
      unavailableErrors: this.#unavailableErrors,
      pool: this.#provider.poolStats?.() ?? null,
    };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#provider.destroy();
  }

  /**
   * A server that hangs costs each call a full timeout (a refusal costs nothing). One request can make
   * several calls in a row (session lookup, then its own reads), so for a short while after a timeout
   * the next calls fail at once: the request still answers 503 within the timeout, and a server that
   * comes back is used again at most SILENT_SERVER_PAUSE_MS later.
   */
  #noteSilence(err: unknown): void {
    if (!isTimeout(err)) return;
    this.#silentUntil = Date.now() + SILENT_SERVER_PAUSE_MS;
    this.#silentError = err;
  }

  #kysely(): Kysely<MeltanoDatabase> | null {
    if (this.#closed)
      throw new DatabaseUnavailableError(`The system database ${this.display} has been closed`);
    if (Date.now() < this.#silentUntil) throw this.#unavailable(this.#silentError);
    try {
      return this.#provider.get();
    } catch (err) {
      throw this.#unavailable(err);
    }
  }

  #created(): Kysely<MeltanoDatabase> {
    if (this.#closed)
      throw new DatabaseUnavailableError(`The system database ${this.display} has been closed`);
    if (Date.now() < this.#silentUntil) throw this.#unavailable(this.#silentError);
    try {
      return this.#provider.create();
    } catch (err) {
      throw this.#unavailable(err);
    }
  }

  #unavailable(err: unknown): DatabaseUnavailableError {
    this.#unavailableErrors++;
    if (/^SQLITE_(BUSY|LOCKED)/.test(errorCode(err))) {
      return new DatabaseUnavailableError(
        `The system database ${this.display} is locked by another process (a Meltano command writing to it?) and stayed locked for ${BUSY_WAIT_MS / 1000} s; try again`,
        'database_busy',
      );
    }
    const reason = err instanceof Error ? err.message || err.name : String(err);
    return new DatabaseUnavailableError(`The system database ${this.display} is unavailable: ${reason}`);
  }
}

const SILENT_SERVER_PAUSE_MS = 2_000;

function errorCode(err: unknown): string {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
}

function isSchemaChange(err: unknown): boolean {
  const code = errorCode(err);
  if (code === '42P01' || code === '42703') return true; // undefined_table, undefined_column
  return code.startsWith('SQLITE_ERROR') && /no such (table|column)/i.test(String((err as Error).message));
}

/** The connection was up and then cut, as opposed to a connect that failed. */
function isConnectionLost(err: unknown): boolean {
  const code = errorCode(err);
  if (code === 'ECONNRESET' || code === 'EPIPE' || /^(57P0[123]|08006|08003)$/.test(code)) return true;
  const message = err instanceof Error ? err.message : '';
  // The last three: another call replaced the pool or file handle this one was still using.
  return /Connection terminated unexpectedly|Client has encountered a connection error|driver has already been destroyed|Cannot use a pool after calling end|database connection is not open/i.test(
    message,
  );
}

/** The server did not answer in time (connect or query), as opposed to refusing or cutting. */
function isTimeout(err: unknown): boolean {
  if (errorCode(err) === 'ETIMEDOUT') return true;
  const message = err instanceof Error ? err.message : '';
  return /due to connection timeout|timeout exceeded when trying to connect|Query read timeout/i.test(
    message,
  );
}

const NODE_NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EPIPE',
  'EHOSTUNREACH',
]);

function isConnectionError(err: unknown): boolean {
  const code = errorCode(err);
  if (NODE_NETWORK_CODES.has(code)) return true;
  // PostgreSQL classes 08 (connection exception), 53 (insufficient resources), 57P (operator intervention).
  if (/^(08|53|57P)/.test(code)) return true;
  if (/^SQLITE_(BUSY|LOCKED|CANTOPEN|NOTADB|CORRUPT|IOERR)/.test(code)) return true;
  const message = err instanceof Error ? err.message : '';
  // `Query read timeout`: pg's query_timeout; the connection still owes that query's answer.
  return /Connection terminated|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|driver has already been destroyed|Cannot use a pool after calling end/i.test(
    message,
  );
}
