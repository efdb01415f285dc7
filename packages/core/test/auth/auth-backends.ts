import { parseDatabaseUri } from '../../src/db/database-uri.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import { copyFixtureDb, type FixtureDb, tempDir } from '../support/fixtures.js';
import { createTestPostgres, type TestPostgres } from '../support/postgres.js';

const ctx = { projectRoot: '/', cwd: '/', sysDir: '/' };

export interface AuthBackends {
  /** A fresh database holding `db`'s rows (Meltano's user tables too), on SQLite or PostgreSQL. */
  open(dialect: 'sqlite' | 'postgres', db: FixtureDb): Promise<SystemDatabase>;
  /** A second handle on the same database, as another process or replica has. */
  reopen(system: SystemDatabase): SystemDatabase;
  cleanup(): Promise<void>;
}

/**
 * Every open() gets its own SQLite copy or PostgreSQL database, so tests do not see each other's users.
 * (One database each, not one schema each: Kysely's Migrator finds `ui_migrations` of another schema
 * in the same database and then skips creating its own.) The rows sit in a non-public schema reached
 * through search_path, as Meltano's `?options=-csearch_path` URIs do.
 */
export async function prepareAuthBackends(): Promise<AuthBackends> {
  const tmp = await tempDir();
  const databases: TestPostgres[] = [];
  const opened: SystemDatabase[] = [];
  const targets = new Map<SystemDatabase, ReturnType<typeof parseDatabaseUri>>();
  let n = 0;
  return {
    async open(dialect, db) {
      n++;
      let target: ReturnType<typeof parseDatabaseUri>;
      const file = await copyFixtureDb(db, `${tmp.dir}/${n}`);
      if (dialect === 'sqlite') {
        target = parseDatabaseUri(`sqlite:///${file}`, ctx);
      } else {
        const schema = 'meltano_fixture';
        const pg = await createTestPostgres();
        databases.push(pg);
        await pg.createMeltanoSchema(schema);
        await pg.loadFromSqlite(file, schema);
        target = parseDatabaseUri(pg.uri(schema), ctx);
      }
      const system = openSystemDatabase(target);
      opened.push(system);
      targets.set(system, target);
      return system;
    },
    reopen(system) {
      const target = targets.get(system);
      if (target === undefined) throw new Error('reopen() takes a database from open()');
      const again = openSystemDatabase(target);
      opened.push(again);
      return again;
    },
    async cleanup() {
      await Promise.all(opened.map((d) => d.close()));
      await Promise.all(databases.map((pg) => pg.drop()));
      await tmp.cleanup();
    },
  };
}
