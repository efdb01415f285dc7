import { setTimeout as sleep } from 'node:timers/promises';
import type Database from 'better-sqlite3';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SelectQueryNode,
  SqliteDialect,
} from 'kysely';

export interface PatientSqliteOptions {
  /** The first connection, opened by the caller (which decides what a failed open means). */
  first: Database.Database;
  /** Opens one more connection to the file (the driver sets its busy handling). */
  open(): Database.Database;
  /**
   * Connections doing work at most. One that waits for a lock another process holds does not count,
   * up to `maxConnections * 3` in all: a sign-in, the failure-cause cache, the run-metrics writer and
   * the notifier may all wait for Meltano's write lock at once, and reads must still go on.
   */
  maxConnections: number;
  /** How long a statement may wait for a lock another process holds before SQLITE_BUSY is thrown. */
  busyWaitMs: number;
}

/**
 * better-sqlite3 waits for locks inside its synchronous calls (busy_timeout), which stops the whole
 * event loop: while Meltano holds the write lock, a waiting write froze health checks and every other
 * request with it. Here a statement that meets a lock fails at once (busy_timeout 0) and is retried
 * after an asynchronous pause, until `busyWaitMs`; a few connections let reads run meanwhile (WAL
 * readers are not blocked by a writer). Transactions begin IMMEDIATE, so they wait for the write lock
 * at their start, where waiting is safe, instead of failing at their first write (a deferred
 * transaction that read first cannot wait for a writer without risking a deadlock).
 */
export class PatientSqliteDialect extends SqliteDialect {
  readonly #options: PatientSqliteOptions;

  constructor(options: PatientSqliteOptions) {
    super({ database: options.first });
    this.#options = options;
  }

  override createDriver(): Driver {
    return new PatientSqliteDriver(this.#options);
  }
}

class PatientSqliteDriver implements Driver {
  readonly #options: PatientSqliteOptions;
  readonly #all: PatientConnection[] = [];
  readonly #idle: PatientConnection[] = [];
  readonly #waiting: ((connection: PatientConnection) => void)[] = [];

  constructor(options: PatientSqliteOptions) {
    this.#options = options;
  }

  async init(): Promise<void> {
    this.#idle.push(this.#adopt(this.#options.first));
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const idle = this.#idle.pop();
    if (idle !== undefined) return idle;
    if (this.#mayConnect()) return this.#connect();
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Working connections (not waiting for a lock) under the cap, and all of them under the ceiling. */
  #mayConnect(): boolean {
    const lockWaiting = this.#all.filter((c) => c.waitingForLock).length;
    return (
      this.#all.length - lockWaiting < this.#options.maxConnections &&
      this.#all.length < this.#options.maxConnections * 3
    );
  }

  /** A connection began waiting for a lock: a request queued for a connection gets a new one. */
  #onLockWait = (): void => {
    while (this.#waiting.length > 0 && this.#mayConnect()) {
      const next = this.#waiting.shift();
      next?.(this.#connect());
    }
  };

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const next = this.#waiting.shift();
    if (next !== undefined) next(connection as PatientConnection);
    else this.#idle.push(connection as PatientConnection);
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy(): Promise<void> {
    for (const connection of this.#all.splice(0)) connection.close();
    this.#idle.length = 0;
  }

  #connect(): PatientConnection {
    return this.#adopt(this.#options.open());
  }

  #adopt(raw: Database.Database): PatientConnection {
    raw.pragma('busy_timeout = 0');
    const connection = new PatientConnection(raw, this.#options.busyWaitMs, this.#onLockWait);
    this.#all.push(connection);
    return connection;
  }
}

/** Prepared statements kept per connection: the API's queries are a few dozen distinct texts. */
const STATEMENT_CACHE = 200;

class PatientConnection implements DatabaseConnection {
  readonly #db: Database.Database;
  readonly #busyWaitMs: number;
  readonly #onLockWait: () => void;
  /** Between a SQLITE_BUSY and the statement's success or give-up. */
  waitingForLock = false;
  /**
   * Kysely compiles every query to SQL text and its SQLite driver prepares that text again on every
   * call; preparing was the largest single cost of a signed-in request (two small selects). Statements
   * are kept by text, least recently used dropped first; SQLite re-prepares a kept statement itself
   * when the schema changed under it (Meltano migrating the file).
   */
  readonly #statements = new Map<string, Database.Statement>();

  constructor(db: Database.Database, busyWaitMs: number, onLockWait: () => void) {
    this.#db = db;
    this.#busyWaitMs = busyWaitMs;
    this.#onLockWait = onLockWait;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const deadline = Date.now() + this.#busyWaitMs;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          return this.#execute<R>(compiledQuery);
        } catch (err) {
          // SQLITE_BUSY: nothing was done, so the statement is simply tried again (COMMIT included).
          if (!isBusy(err) || Date.now() >= deadline) throw err;
          if (!this.waitingForLock) {
            this.waitingForLock = true;
            this.#onLockWait();
          }
          await sleep(Math.min(5 * 2 ** attempt, 100, Math.max(1, deadline - Date.now())));
        }
      }
    } finally {
      this.waitingForLock = false;
    }
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    if (!SelectQueryNode.is(compiledQuery.query)) {
      throw new Error('Sqlite driver only supports streaming of select queries');
    }
    // Its own statement: one that is iterating cannot run another query meanwhile.
    const statement = this.#db.prepare(compiledQuery.sql);
    for (const row of statement.iterate(compiledQuery.parameters)) yield { rows: [row as R] };
  }

  close(): void {
    this.#statements.clear();
    this.#db.close();
  }

  #prepare(sql: string): Database.Statement {
    const kept = this.#statements.get(sql);
    if (kept !== undefined) {
      this.#statements.delete(sql);
      this.#statements.set(sql, kept);
      return kept;
    }
    const statement = this.#db.prepare(sql);
    this.#statements.set(sql, statement);
    if (this.#statements.size > STATEMENT_CACHE) {
      const oldest = this.#statements.keys().next().value;
      if (oldest !== undefined) this.#statements.delete(oldest);
    }
    return statement;
  }

  #execute<R>(compiledQuery: CompiledQuery): QueryResult<R> {
    const statement = this.#prepare(compiledQuery.sql);
    if (statement.reader) return { rows: statement.all(compiledQuery.parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(compiledQuery.parameters);
    return {
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
      rows: [],
    };
  }
}

function isBusy(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  // Not SQLITE_BUSY_SNAPSHOT: a read transaction whose snapshot is stale cannot succeed by waiting.
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_RECOVERY' || code === 'SQLITE_LOCKED';
}
