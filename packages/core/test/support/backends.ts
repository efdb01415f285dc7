import { type DatabaseTarget, parseDatabaseUri } from '../../src/db/database-uri.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import { copyFixtureDb, FIXTURE_DBS, type FixtureDb, tempDir } from './fixtures.js';
import { createTestPostgres } from './postgres.js';

/** Every behaviour test runs on both: the same rows, the same assertions. */
export const DIALECTS = ['sqlite', 'postgres'] as const;
export type TestDialect = (typeof DIALECTS)[number];

const ctx = { projectRoot: '/', cwd: '/', sysDir: '/' };

export interface FixtureBackends {
  open(dialect: TestDialect, db: FixtureDb, now: () => Date): SystemDatabase;
  cleanup(): Promise<void>;
}

/**
 * Each real-Meltano fixture DB as a SQLite temp copy and as PostgreSQL tables holding the same rows:
 * v4.2.2 in `public`, the others each in a schema reached through `?options=-csearch_path%3D…`.
 */
export async function prepareFixtureBackends(): Promise<FixtureBackends> {
  const tmp = await tempDir();
  const pg = await createTestPostgres();
  const targets = new Map<string, DatabaseTarget>();
  const opened: SystemDatabase[] = [];
  try {
    for (const db of FIXTURE_DBS) {
      const file = await copyFixtureDb(db, tmp.dir);
      targets.set(`sqlite:${db}`, parseDatabaseUri(`sqlite:///${file}`, ctx));
      const schema = db === 'v4.2.2' ? undefined : `fixture_${db.replace(/[^A-Za-z0-9]+/g, '_')}`;
      await pg.createMeltanoSchema(schema);
      await pg.loadFromSqlite(file, schema);
      targets.set(`postgres:${db}`, parseDatabaseUri(pg.uri(schema), ctx));
    }
  } catch (err) {
    await pg.drop();
    await tmp.cleanup();
    throw err;
  }
  return {
    open(dialect, db, now) {
      const target = targets.get(`${dialect}:${db}`);
      if (!target) throw new Error(`no ${dialect} backend for ${db}`);
      const opened_ = openSystemDatabase(target, { now });
      opened.push(opened_);
      return opened_;
    },
    async cleanup() {
      await Promise.all(opened.map((db) => db.close()));
      await pg.drop();
      await tmp.cleanup();
    },
  };
}
