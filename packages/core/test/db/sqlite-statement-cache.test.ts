import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseDatabaseUri } from '../../src/db/database-uri.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import { copyFixtureDb, type TempDir, tempDir } from '../support/fixtures.js';

// The SQLite driver keeps prepared statements by their SQL text. What a kept statement reads must
// still be what the file holds when another process (Meltano migrating, the CLI writing) changed it.
const ctx = { projectRoot: '/', cwd: '/', sysDir: '/' };

describe('prepared statements kept by the SQLite driver', () => {
  let tmp: TempDir;
  let file: string;
  let db: SystemDatabase;

  beforeEach(async () => {
    tmp = await tempDir();
    file = await copyFixtureDb('v3.9.5', tmp.dir);
    const setup = new Database(file);
    setup.exec("create table ui_probe (value text); insert into ui_probe values ('a')");
    setup.close();
    db = openSystemDatabase(parseDatabaseUri(`sqlite:///${file}`, ctx));
  });
  afterEach(async () => {
    await db.close();
    await tmp.cleanup();
  });

  const values = () =>
    db.withKysely(
      async (k) => (await sql<{ value: string }>`select * from ui_probe order by 1`.execute(k)).rows,
    );

  it('read rows written by another connection after the statement was prepared', async () => {
    expect(await values()).toEqual([{ value: 'a' }]);
    const other = new Database(file);
    other.exec("insert into ui_probe values ('b')");
    other.close();
    expect(await values()).toEqual([{ value: 'a' }, { value: 'b' }]);
  });

  it('follow a schema change made by another connection (a kept `select *` sees the new column)', async () => {
    expect(await values()).toEqual([{ value: 'a' }]);
    const other = new Database(file);
    other.exec("alter table ui_probe add column extra text default 'x'");
    other.close();
    expect(await values()).toEqual([{ value: 'a', extra: 'x' }]);
  });

  it('answer the same as fresh statements for many distinct queries (more than are kept)', async () => {
    for (let n = 0; n < 450; n++) {
      const rows = await db.withKysely(
        async (k) => (await sql<{ n: number }>`select ${sql.lit(n)} as n from ui_probe`.execute(k)).rows,
      );
      expect(rows).toEqual([{ n }]);
    }
    expect((await db.runs.list({}, { limit: 2 })).items).toHaveLength(2);
  });
});
