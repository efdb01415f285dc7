import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import pg from 'pg';

/** The PostgreSQL the tests need (trust auth, user postgres); not optional: these tests never skip. */
export const PG_ADMIN_URL =
  process.env.MELTANO_UI_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const SCHEMA_SQL = new URL('./meltano-postgres-schema.sql', import.meta.url);

// Meltano 2.20's user tables on PostgreSQL, as its migrations create them (see v2.20.0/postgres/psql-d+.txt).
const MELTANO_USER_TABLES_DDL = `
  CREATE TABLE "user" (id serial PRIMARY KEY, username varchar(255) UNIQUE, email varchar(255) UNIQUE,
    password varchar(255), active boolean, confirmed_at timestamp, last_login_at timestamp,
    login_count integer, last_activity_at timestamp);
  CREATE TABLE role (id serial PRIMARY KEY, name varchar(80) UNIQUE, description varchar(255));
  CREATE TABLE roles_users (id serial PRIMARY KEY, user_id integer REFERENCES "user"(id),
    role_id integer REFERENCES role(id));`;

export interface TestPostgres {
  readonly database: string;
  /** A Meltano-style URI for this database, optionally with `?options=-csearch_path%3D<schema>`. */
  uri(searchPath?: string): string;
  query(text: string, params?: unknown[]): Promise<pg.QueryResult>;
  /** Meltano's tables (meltano-postgres-schema.sql) in `schema` (created if needed) or public. */
  createMeltanoSchema(schema?: string): Promise<void>;
  /**
   * Copies runs/job, state and plugin_settings rows of a Meltano SQLite DB into `schema`'s tables
   * (hex run_id → uuid), and Meltano 2's user/role/roles_users tables when it has them.
   */
  loadFromSqlite(sqliteFile: string, schema?: string): Promise<void>;
  /** Ends the helper's own connection and keeps the database (before a test stops its server). */
  disconnect(): Promise<void>;
  drop(): Promise<void>;
}

/**
 * A fresh, uniquely named database on the shared server, or on `adminUrl`'s (a cluster of the test's
 * own, test-fixtures/postgres-cluster.mjs); call drop() in afterAll.
 */
export async function createTestPostgres(adminUrl: string = PG_ADMIN_URL): Promise<TestPostgres> {
  const database = `meltano_ui_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE ${database}`));
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  let connected = true;

  const inSchema = async <T>(schema: string | undefined, fn: () => Promise<T>): Promise<T> => {
    if (schema === undefined) return fn();
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
    await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
    try {
      return await fn();
    } finally {
      await client.query('RESET search_path');
    }
  };

  return {
    database,
    uri(searchPath) {
      const base = url.toString();
      return searchPath === undefined ? base : `${base}?options=-csearch_path%3D${searchPath}`;
    },
    query: (text, params) => client.query(text, params),
    async createMeltanoSchema(schema) {
      const ddl = await readFile(SCHEMA_SQL, 'utf8');
      await inSchema(schema, () => client.query(ddl));
    },
    async loadFromSqlite(sqliteFile, schema) {
      const source = new Database(sqliteFile, { readonly: true, fileMustExist: true });
      try {
        const tables = source.prepare("select name from sqlite_master where type = 'table'").pluck().all();
        const runsTable = tables.includes('runs') ? 'runs' : 'job';
        const runs = source.prepare(`select * from ${runsTable} order by id`).all() as Record<
          string,
          unknown
        >[];
        const states = tables.includes('state')
          ? (source.prepare('select * from state').all() as Record<string, unknown>[])
          : [];
        // Pickled values are bytes in both (BLOB → bytea); v2's DATETIME-typed label is always empty.
        const settings = tables.includes('plugin_settings')
          ? (source.prepare('select name, namespace, value, enabled from plugin_settings').all() as Record<
              string,
              unknown
            >[])
          : [];
        await inSchema(schema, async () => {
          for (const row of runs) await insert(client, runsTable, { ...row, run_id: toUuid(row.run_id) });
          if (runs.length > 0)
            await client.query(`SELECT setval('job_id_seq', (SELECT max(id) FROM ${runsTable}))`);
          for (const row of states) await insert(client, 'state', row);
          for (const row of settings) {
            await insert(client, 'plugin_settings', {
              ...row,
              enabled: row.enabled === null ? null : Boolean(row.enabled),
            });
          }
          if (!tables.includes('user')) return;
          await client.query(MELTANO_USER_TABLES_DDL);
          const all = (table: string) =>
            source.prepare(`select * from "${table}"`).all() as Record<string, unknown>[];
          for (const u of all('user')) {
            const { id, username, email, password, active, login_count } = u;
            await insert(client, '"user"', {
              id,
              username,
              email,
              password,
              active: active === 1,
              login_count,
            });
          }
          for (const r of all('role')) await insert(client, 'role', r);
          for (const l of all('roles_users')) await insert(client, 'roles_users', l);
        });
      } finally {
        source.close();
      }
    },
    async disconnect() {
      if (!connected) return;
      connected = false;
      await client.end();
    },
    async drop() {
      if (connected) await client.end();
      connected = false;
      await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`));
    },
  };
}

async function insert(client: pg.Client, table: string, row: Record<string, unknown>): Promise<void> {
  const columns = Object.keys(row);
  const names = columns.map((c) => pg.escapeIdentifier(c)).join(', ');
  const params = columns.map((_, i) => `$${i + 1}`).join(', ');
  await client.query(`INSERT INTO ${table} (${names}) VALUES (${params})`, Object.values(row));
}

function toUuid(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  return value.replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');
}

export async function withClient<T>(
  connectionString: string,
  fn: (client: pg.Client) => Promise<T>,
): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
