import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { KyselyProvider, PoolStats } from './database-connection.js';
import type { MeltanoDatabase } from './meltano-tables.js';

const TIMESTAMP_WITHOUT_TIME_ZONE = 1114;

/**
 * Meltano's timestamps are naive UTC. node-postgres would read them as local time into a Date; this
 * pool keeps them as the server's text instead. Per pool, so other pools in the process are untouched.
 */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === TIMESTAMP_WITHOUT_TIME_ZONE && format !== 'binary'
      ? (value: string) => value
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** Each Kysely's pg Pool, for the read-only counts of poolStats(). */
const pools = new WeakMap<Kysely<MeltanoDatabase>, pg.Pool>();

function createPool(connectionString: string): Kysely<MeltanoDatabase> {
  const pool = new pg.Pool({
    connectionString,
    types,
    max: 10,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: 10_000,
    application_name: 'meltano-ui',
  });
  // A server going away makes clients emit 'error' (through the pool when idle, on the client itself
  // otherwise). Unhandled, either would crash the process; the failing query reports it instead, and
  // the pool drops clients that are no longer queryable when they are released.
  pool.on('error', () => {});
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<MeltanoDatabase>({ dialect: new PostgresDialect({ pool }) });
  pools.set(db, pool);
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
    destroy: () => db.destroy(),
    poolStats: () => poolStatsOf(db),
  };
}
