import { Kysely, PostgresDialect } from 'kysely';
import type pg from 'pg';
import type { KyselyProvider, PoolStats } from './database-connection.js';
import type { MeltanoDatabase } from './meltano-tables.js';

const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;
const QUERY_TIMEOUT_MS = 4_000;
const CLOSE_WAIT_MS = 2_000;
const LONG_LOCK_TIMEOUT_MS = 10_000;

let library: Promise<typeof pg> | null = null;
/**
 * node-postgres, loaded when a PostgreSQL system database is first used: with SQLite (the default)
 * its code is never needed, and not evaluating it keeps ~1 MiB off an idle server's heap.
 */
export async function loadPg(): Promise<typeof pg> {
  library ??= import('pg').then((m) => m.default);
  return library;
}

/**
 * Meltano's timestamps are naive UTC. node-postgres would read them as local time into a Date; this
 * pool keeps them as the server's text instead. Per pool, so other pools in the process are untouched.
 */
const typesOf = (lib: typeof pg) => ({
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_WITHOUT_TIME_ZONE && format !== 'binary'
      ? (value: string) => value
      : lib.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
});

/** Each Kysely's pg Pool, for the read-only counts of poolStats(). */
const pools = new WeakMap<Kysely<MeltanoDatabase>, pg.Pool>();

function createPool(connectionString: string): Kysely<MeltanoDatabase> {
  // Kysely asks for the pool on its first query (PostgresDialect takes a function for that).
  const makePool = async (): Promise<pg.Pool> => {
    const lib = await loadPg();
    const pool = new lib.Pool({
      connectionString,
      types: typesOf(lib),
      max: 10,
      idleTimeoutMillis: 30_000,
      // A server that is down refuses at once; one that hangs (host gone, SYNs dropped, a frozen
      // postmaster) must not hold a request past a few seconds: the API answers 503 well within 5 s.
      // This also bounds the wait for a free client when all ten are busy.
      connectionTimeoutMillis: 3_000,
      // Every query the UI sends is an index lookup or a bounded batch; one that has not answered in
      // 4 s is on a connection that went silent (no RST ever comes across a partition), and the
      // connection is dropped with the pool (see isConnectionError). TCP keepalive finds such idle ones.
      query_timeout: QUERY_TIMEOUT_MS,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
      application_name: 'meltano-ui',
    });
    // A server going away makes clients emit 'error' (through the pool when idle, on the client itself
    // otherwise). Unhandled, either would crash the process; the failing query reports it instead, and
    // the pool drops clients that are no longer queryable when they are released.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    pools.set(db, pool);
    return pool;
  };
  const db: Kysely<MeltanoDatabase> = new Kysely<MeltanoDatabase>({
    dialect: new PostgresDialect({ pool: makePool }),
  });
  return db;
}

function poolStatsOf(db: Kysely<MeltanoDatabase>): PoolStats {
  const pool = pools.get(db);
  return {
    total: pool?.totalCount ?? 0,
    idle: pool?.idleCount ?? 0,
    waiting: pool?.waitingCount ?? 0,
  };
}

/**
 * A lazy pg Pool (no connection until the first query). After a lost connection the whole pool is
 * replaced: when the server restarts, every idle connection of the old pool is dead too.
 */
export function postgresProvider(connectionString: string, display: string): KyselyProvider {
  let db = createPool(connectionString);
  return {
    dialect: 'postgres',
    display,
    get: () => db,
    create: () => db,
    reset(failed) {
      if (failed !== db) return;
      const old = db;
      db = createPool(connectionString);
      // end() waits for checked-out clients; nothing awaits it, so failures have nowhere to go.
      void old.destroy().catch(() => {});
    },
    // end() waits for checked-out clients; at shutdown one still waiting on a query (its request was
    // cut by the server's close) must not hold the exit past the signal's deadline. Exiting closes it.
    destroy: () => bounded(db.destroy(), CLOSE_WAIT_MS),
    poolStats: () => poolStatsOf(db),
    runLong: (statements) => runLongOnOwnClient(connectionString, statements),
  };
}

/**
 * Its own client, without the pool's 4 s query timeout (an index built CONCURRENTLY scans the table
 * twice). A lock it cannot get within LONG_LOCK_TIMEOUT gives up rather than queue every other user of
 * the table behind it; a connect that hangs gives up like the pool's.
 */
async function runLongOnOwnClient(connectionString: string, statements: readonly string[]): Promise<void> {
  const lib = await loadPg();
  const client = new lib.Client({
    connectionString,
    types: typesOf(lib),
    connectionTimeoutMillis: 3_000,
    application_name: 'meltano-ui',
    lock_timeout: LONG_LOCK_TIMEOUT_MS,
  });
  client.on('error', () => {});
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end().catch(() => {});
  }
}

function bounded(work: Promise<void>, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    work.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}
