import { randomBytes } from 'node:crypto';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseConnection } from '../../src/db/database-connection.js';
import { type DatabaseTarget, parseDatabaseUri } from '../../src/db/database-uri.js';
import { postgresProvider } from '../../src/db/postgres-connection.js';
import { sqliteProvider } from '../../src/db/sqlite-connection.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import { microsToDbText } from '../../src/db/timestamps.js';
import type { TestDialect } from '../support/backends.js';
import { copyFixtureDb, type FixtureDb, tempDir } from '../support/fixtures.js';
import { createTestPostgres, type TestPostgres } from '../support/postgres.js';

/** A runs row as the CLI writes it; unset columns take Meltano's usual values. */
export interface NewRun {
  id?: number;
  job_name: string;
  state: string;
  started_at: Date;
  ended_at?: Date | null;
  last_heartbeat_at?: Date | null;
  payload?: string;
  trigger?: string;
}

/** A writable system DB holding a fixture's rows, which a test changes the way the CLI would. */
export interface ScratchDb {
  readonly dialect: TestDialect;
  /** The database_uri the CLI (or the stand-in) would be given. */
  readonly uri: string;
  open(now: () => Date): SystemDatabase;
  /** The gateway a RunSummaryCache can be built on directly (closed with the scratch DB). */
  connection(): DatabaseConnection;
  insert(run: NewRun): Promise<number>;
  update(id: number, fields: Partial<NewRun>): Promise<void>;
  /** Deletes rows above `id` (Meltano never does; a restored backup looks like this). */
  deleteAbove(id: number): Promise<void>;
  /** The database swapped for one holding another fixture's rows (SQLite: a new file renamed over). */
  replaceWith(fixture: FixtureDb): Promise<void>;
}

export interface ScratchDbs {
  create(dialect: TestDialect, fixture: FixtureDb): Promise<ScratchDb>;
  cleanup(): Promise<void>;
}

const ctx = { projectRoot: '/', cwd: '/', sysDir: '/' };

/** Naive UTC text with microseconds, as Meltano stores timestamps. */
export const dbTime = (date: Date) => microsToDbText(date.getTime() * 1000);

export async function prepareScratchDbs(): Promise<ScratchDbs> {
  const tmp = await tempDir();
  let pg: TestPostgres | null = null;
  const closers: (() => Promise<void>)[] = [];
  let n = 0;
  return {
    async create(dialect, fixture) {
      const name = `scratch_${++n}`;
      const dir = path.join(tmp.dir, name);
      const file = await copyFixtureDb(fixture, dir);
      let target: DatabaseTarget;
      let write: (sql: string, params: unknown[]) => Promise<unknown[]>;
      let replaceWith: (other: FixtureDb) => Promise<void>;
      if (dialect === 'sqlite') {
        target = parseDatabaseUri(`sqlite:///${file}`, ctx);
        write = async (sql, params) =>
          withSqlite(file, (db) => {
            const statement = db.prepare(sql);
            if (statement.reader) return statement.raw().all(...params);
            statement.run(...params);
            return [];
          });
        replaceWith = async (other) => rename(await copyFixtureDb(other, path.join(dir, 'next')), file);
      } else {
        pg ??= await createTestPostgres();
        const db = pg;
        await db.createMeltanoSchema(name);
        await db.loadFromSqlite(file, name);
        target = parseDatabaseUri(db.uri(name), ctx);
        write = async (sql, params) => {
          let i = 0;
          const text = sql.replace(/\?/g, () => `$${++i}`).replace(/\bruns\b/, `${name}.runs`);
          return (await db.query(text, params)).rows.map((row) => Object.values(row));
        };
        replaceWith = async (other) => {
          await db.query(`TRUNCATE ${name}.runs, ${name}.state, ${name}.plugin_settings`);
          await db.loadFromSqlite(await copyFixtureDb(other, path.join(dir, 'next')), name);
        };
      }
      const uri = dialect === 'sqlite' ? `sqlite:///${file}` : (pg as TestPostgres).uri(name);
      return scratch(dialect, uri, target, write, replaceWith, closers);
    },
    async cleanup() {
      await Promise.all(closers.map((close) => close()));
      await pg?.drop();
      await tmp.cleanup();
    },
  };
}

function scratch(
  dialect: TestDialect,
  uri: string,
  target: DatabaseTarget,
  write: (sql: string, params: unknown[]) => Promise<unknown[]>,
  replaceWith: (other: FixtureDb) => Promise<void>,
  closers: (() => Promise<void>)[],
): ScratchDb {
  const columns = (run: Partial<NewRun>) =>
    Object.entries(run).map(([key, value]) => [key, value instanceof Date ? dbTime(value) : value] as const);
  return {
    dialect,
    uri,
    open(now) {
      const db = openSystemDatabase(target, { now });
      closers.push(() => db.close());
      return db;
    },
    connection() {
      const conn = new DatabaseConnection(
        target.kind === 'sqlite'
          ? sqliteProvider(target.file, target.display)
          : postgresProvider(target.connectionString, target.display),
      );
      closers.push(() => conn.close());
      return conn;
    },
    async insert(run) {
      const ended = run.state === 'RUNNING' ? null : run.started_at;
      const row = columns({
        ended_at: ended,
        last_heartbeat_at: ended,
        payload: '{}',
        trigger: 'cli',
        ...run,
      });
      const names = [...row.map(([k]) => `"${k}"`), 'payload_flags', 'run_id'];
      const values = [...row.map(([, v]) => v), 0, randomBytes(16).toString('hex')];
      const [inserted] = await write(
        `INSERT INTO runs (${names.join(', ')}) VALUES (${values.map(() => '?').join(', ')}) RETURNING id`,
        values,
      );
      return Number((inserted as unknown[])[0]);
    },
    async update(id, fields) {
      const row = columns(fields);
      await write(`UPDATE runs SET ${row.map(([k]) => `"${k}" = ?`).join(', ')} WHERE id = ?`, [
        ...row.map(([, v]) => v),
        id,
      ]);
    },
    async deleteAbove(id) {
      await write('DELETE FROM runs WHERE id > ?', [id]);
    },
    replaceWith,
  };
}

function withSqlite<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}
