import { type Kysely, sql, type Transaction } from 'kysely';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';

/** Row types of the tables created by ui-db/migrations/0002-create-ui-users.ts. */
export interface UiUsersTable {
  id: string;
  username: string;
  email: string | null;
  password_hash: string | null;
  /** 0/1 (portable boolean). */
  active: number;
  created_at: string;
  last_login_at: string | null;
  login_count: number;
  imported_from_meltano_id: number | null;
  /** ui-db/migrations/0012-add-ui-oidc.ts: the OpenID Provider identity, null for local users. */
  oidc_issuer: string | null;
  oidc_subject: string | null;
  /** 0/1: an admin's roles are kept instead of the role map applied at each single sign-on. */
  roles_pinned: number;
}

export interface UiRolesTable {
  name: string;
  description: string | null;
}

export interface UiUserRolesTable {
  user_id: string;
  role_name: string;
}

export interface UiSessionsTable {
  id: string;
  user_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  absolute_expires_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface UiApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface UiImportsTable {
  name: string;
  completed_at: string;
  details: string | null;
}

/** ui-db/migrations/0003-create-ui-login-attempts.ts */
export interface UiLoginAttemptsTable {
  kind: string;
  key: string;
  window_start: string;
  attempts: number;
}

/** ui-db/migrations/0012-add-ui-oidc.ts */
export interface UiOidcFlowsTable {
  id: string;
  state: string;
  nonce: string;
  code_verifier: string;
  redirect_uri: string;
  next_path: string;
  created_at: string;
  expires_at: string;
}

export interface AuthDatabase {
  ui_oidc_flows: UiOidcFlowsTable;
  ui_users: UiUsersTable;
  ui_roles: UiRolesTable;
  ui_user_roles: UiUserRolesTable;
  ui_sessions: UiSessionsTable;
  ui_api_tokens: UiApiTokensTable;
  ui_imports: UiImportsTable;
  ui_login_attempts: UiLoginAttemptsTable;
}

export type AuthDb = Kysely<AuthDatabase> | Transaction<AuthDatabase>;

/** Runs `fn` on the UI's tables (migrated first), typed for the auth tables. */
export function withAuthDb<T>(tables: UiTables, fn: (db: Kysely<AuthDatabase>) => Promise<T>): Promise<T> {
  return tables.with((db) => fn(db as Kysely<AuthDatabase>));
}

/**
 * Runs `fn` in a transaction that holds the write lock from its first statement, so what it reads
 * cannot change before it writes: on SQLite `BEGIN IMMEDIATE` (a plain `BEGIN` would take the lock
 * only at the first write, and another process could write in between); on PostgreSQL a transaction
 * in which `fn` locks the rows it depends on (SELECT … FOR UPDATE).
 */
export function withAuthWriteTransaction<T>(tables: UiTables, fn: (db: AuthDb) => Promise<T>): Promise<T> {
  if (tables.kind === 'postgres') return withAuthDb(tables, (db) => db.transaction().execute(fn));
  return withAuthDb(tables, (db) =>
    db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (err) {
        await sql`rollback`.execute(conn).catch(() => {});
        throw err;
      }
    }),
  );
}

export function isUniqueViolation(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  return code === '23505' || code.startsWith('SQLITE_CONSTRAINT');
}
