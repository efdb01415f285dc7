import Database from 'better-sqlite3';
import { parseDatabaseUri } from '../../src/db/database-uri.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import { copyFixtureDb, type FixtureDb, tempDir } from '../support/fixtures.js';
import { createTestPostgres, type TestPostgres } from '../support/postgres.js';

// Meltano 2.20's user tables on PostgreSQL, as its migrations create them (see v2.20.0/postgres/psql-d+.txt).
const MELTANO_USER_TABLES_DDL = `
  CREATE TABLE "user" (id serial PRIMARY KEY, username varchar(255) UNIQUE, email varchar(255) UNIQUE,
    password varchar(255), active boolean, confirmed_at timestamp, last_login_at timestamp,
    login_count integer, last_activity_at timestamp);
  CREATE TABLE role (id serial PRIMARY KEY, name varchar(80) UNIQUE, description varchar(255));
  CREATE TABLE roles_users (id serial PRIMARY KEY, user_id integer REFERENCES "user"(id),
    role_id integer REFERENCES role(id));`;

const ctx = { projectRoot: '/', cwd: '/', sysDir: '/' };

export interface AuthBackends {
  /** A fresh database holding `db`'s rows (Meltano's user tables too), on SQLite or PostgreSQL. */
  open(dialect: 'sqlite' | 'postgres', db: FixtureDb): Promise<SystemDatabase>;
  cleanup(): Promise<void>;
}

async function loadUsers(pg: TestPostgres, sqliteFile: string, schema: string): Promise<void> {
  const source = new Database(sqliteFile, { readonly: true, fileMustExist: true });
  try {
    const has = source.prepare("select count(*) from sqlite_master where name = 'user'").pluck().get();
    if (has === 0) return;
    await pg.query(`SET search_path TO ${schema}`);
    await pg.query(MELTANO_USER_TABLES_DDL);
    for (const u of source.prepare('select * from user').all() as Record<string, unknown>[]) {
      await pg.query(
        'INSERT INTO "user" (id, username, email, password, active, login_count) VALUES ($1, $2, $3, $4, $5, $6)',
        [u.id, u.username, u.email, u.password, u.active === 1, u.login_count],
      );
    }
    for (const r of source.prepare('select * from role').all() as Record<string, unknown>[]) {
      await pg.query('INSERT INTO role (id, name, description) VALUES ($1, $2, $3)', [
        r.id,
        r.name,
        r.description,
      ]);
    }
    for (const l of source.prepare('select * from roles_users').all() as Record<string, unknown>[]) {
      await pg.query('INSERT INTO roles_users (id, user_id, role_id) VALUES ($1, $2, $3)', [
        l.id,
        l.user_id,
        l.role_id,
      ]);
    }
    await pg.query('RESET search_path');
  } finally {
    source.close();
  }
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
        await loadUsers(pg, file, schema);
        target = parseDatabaseUri(pg.uri(schema), ctx);
      }
      const system = openSystemDatabase(target);
      opened.push(system);
      return system;
    },
    async cleanup() {
      await Promise.all(opened.map((d) => d.close()));
      await Promise.all(databases.map((pg) => pg.drop()));
      await tmp.cleanup();
    },
  };
}
