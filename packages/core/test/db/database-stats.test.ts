import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseDatabaseUri } from '../../src/db/database-uri.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import { DatabaseUnavailableError } from '../../src/errors.js';
import { copyFixtureDb, type TempDir, tempDir } from '../support/fixtures.js';
import { createTestPostgres, type TestPostgres } from '../support/postgres.js';

const ctx = { projectRoot: '/', cwd: '/', sysDir: '/' };

describe('SystemDatabase.stats() (what metrics read)', () => {
  let pgdb: TestPostgres;
  let tmp: TempDir;
  const opened: SystemDatabase[] = [];
  const open = (uri: string) => {
    const db = openSystemDatabase(parseDatabaseUri(uri, ctx));
    opened.push(db);
    return db;
  };

  beforeAll(async () => {
    tmp = await tempDir();
    pgdb = await createTestPostgres();
    await pgdb.createMeltanoSchema();
    await pgdb.loadFromSqlite(await copyFixtureDb('v3.9.5', tmp.dir));
  });
  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await pgdb?.drop();
    await tmp?.cleanup();
  });

  it('PostgreSQL: the pool counts as pg has them, nothing opened by reading them', async () => {
    const db = open(pgdb.uri());
    expect(db.stats()).toEqual({
      dialect: 'postgres',
      unavailableErrors: 0,
      pool: { total: 0, idle: 0, waiting: 0 },
    });
    await Promise.all([db.runs.list({}, { limit: 5 }), db.state.list(), db.runs.get(1)]);
    const after = db.stats();
    expect(after.pool?.total).toBeGreaterThanOrEqual(1);
    expect(after.pool?.idle).toBe(after.pool?.total);
    expect(after.pool?.waiting).toBe(0);
    expect(after.unavailableErrors).toBe(0);
  });

  it('counts each call that found the database unavailable', async () => {
    const db = open('postgresql://meltano:pw@127.0.0.1:1/meltano');
    await expect(db.ping()).rejects.toBeInstanceOf(DatabaseUnavailableError);
    await expect(db.runs.get(1)).rejects.toBeInstanceOf(DatabaseUnavailableError);
    expect(db.stats().unavailableErrors).toBe(2);
  });

  it('SQLite: no pool', async () => {
    const db = open(`sqlite:///${await copyFixtureDb('v3.9.5', tmp.dir)}`);
    await db.runs.get(1);
    expect(db.stats()).toEqual({ dialect: 'sqlite', unavailableErrors: 0, pool: null });
  });
});
