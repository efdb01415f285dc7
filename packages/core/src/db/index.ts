export type { DatabaseStats, PoolStats } from './database-connection.js';
export {
  type DatabaseTarget,
  type DatabaseUriContext,
  defaultDatabaseUri,
  parseDatabaseUri,
} from './database-uri.js';
export type { JobTable, MeltanoDatabase, RunsTable, StateTable } from './meltano-tables.js';
export { openSystemDatabase, type SystemDatabase, type SystemDatabaseOptions } from './system-database.js';
