import path from 'node:path';
import { parseDatabaseUri } from '../../src/db/database-uri.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import {
  createRunMetricsRepository,
  type RunMetricsRepository,
} from '../../src/run-metrics/run-metrics.repository.js';
import { uiTables } from '../../src/ui-db/migrate-ui-tables.js';
import type { TestDialect } from '../support/backends.js';
import { tempDir } from '../support/fixtures.js';
import { createTestPostgres, type TestPostgres } from '../support/postgres.js';

const ctx = { projectRoot: '/', cwd: '/', sysDir: '/' };

export interface RunMetricsBackends {
  /** A fresh, empty UI table set on `dialect` (its own SQLite file, or its own PostgreSQL schema). */
  repo(dialect: TestDialect): Promise<RunMetricsRepository>;
  cleanup(): Promise<void>;
}

/** Empty system databases, one per call, on SQLite and on one PostgreSQL test database. */
export async function prepareRunMetricsBackends(): Promise<RunMetricsBackends> {
  const tmp = await tempDir();
  let pg: TestPostgres | null = null;
  try {
    pg = await createTestPostgres();
  } catch (err) {
    await tmp.cleanup();
    throw err;
  }
  const opened: SystemDatabase[] = [];
  let count = 0;
  return {
    async repo(dialect) {
      count += 1;
      const schema = `run_metrics_${count}`;
      if (dialect === 'postgres') await (pg as TestPostgres).query(`CREATE SCHEMA ${schema}`);
      const uri =
        dialect === 'sqlite'
          ? `sqlite:///${path.join(tmp.dir, `meltano-${count}.db`)}`
          : (pg as TestPostgres).uri(schema);
      const db = openSystemDatabase(parseDatabaseUri(uri, ctx));
      opened.push(db);
      return createRunMetricsRepository(uiTables(db));
    },
    async cleanup() {
      await Promise.all(opened.map((db) => db.close()));
      await pg?.drop();
      await tmp.cleanup();
    },
  };
}
