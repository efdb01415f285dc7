import type { Kysely, Transaction } from 'kysely';
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

export interface AuthDatabase {
  ui_users: UiUsersTable;
  ui_roles: UiRolesTable;
  ui_user_roles: UiUserRolesTable;
  ui_sessions: UiSessionsTable;
  ui_api_tokens: UiApiTokensTable;
  ui_imports: UiImportsTable;
}

export type AuthDb = Kysely<AuthDatabase> | Transaction<AuthDatabase>;

/** Runs `fn` on the UI's tables (migrated first), typed for the auth tables. */
export function withAuthDb<T>(tables: UiTables, fn: (db: Kysely<AuthDatabase>) => Promise<T>): Promise<T> {
  return tables.with((db) => fn(db as Kysely<AuthDatabase>));
}

export function isUniqueViolation(err: unknown): boolean {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  return code === '23505' || code.startsWith('SQLITE_CONSTRAINT');
}
