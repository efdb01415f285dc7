import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

/** The machine's PostgreSQL (trust auth, user postgres); each test file makes its own database on it. */
const PG_ADMIN_URL = process.env.MELTANO_UI_TEST_PG_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

function psql(sql: string): void {
  execFileSync('psql', [PG_ADMIN_URL, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { stdio: 'pipe' });
}

export interface TestDatabase {
  /** postgresql://… of the new database, as `database_uri` / MELTANO_DATABASE_URI take it. */
  uri: string;
  drop(): void;
}

/** A fresh, empty, uniquely named database (`psql` does it: the e2e package has no PostgreSQL driver). */
export function createDatabase(prefix: string): TestDatabase {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  psql(`CREATE DATABASE ${name}`);
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return { uri: url.toString(), drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
