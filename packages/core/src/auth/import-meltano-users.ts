import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import { type AuthDatabase, isUniqueViolation, withAuthDb } from './auth-tables.js';

export const MELTANO_USERS_IMPORT = 'meltano_users';

export interface MeltanoUsersImport {
  /** False when an earlier call (or another replica) already did it. */
  ran: boolean;
  users: number;
  skipped: string[];
}

interface MeltanoUserRow {
  id: number;
  username: string | null;
  email: string | null;
  password: string | null;
  active: number | boolean | null;
  last_login_at: string | Date | null;
  login_count: number | null;
}

/** Meltano's timestamps: naive UTC text on SQLite, `timestamp without time zone` (a Date) on PostgreSQL. */
function isoFromMeltano(value: string | Date | null): string | null {
  if (value === null) return null;
  if (value instanceof Date) return value.toISOString();
  const parsed = Date.parse(`${value.replace(' ', 'T')}Z`);
  return Number.isNaN(parsed) ? null : new Date(parsed).toISOString();
}

// biome-ignore lint/suspicious/noExplicitAny: Meltano's old tables are not part of the UI's types.
async function meltanoUserTablesExist(db: Kysely<any>, dialect: 'sqlite' | 'postgres'): Promise<boolean> {
  const query =
    dialect === 'sqlite'
      ? sql<{ n: number }>`select count(*) as n from sqlite_master
          where type = 'table' and name in ('user', 'role', 'roles_users')`
      : // to_regclass follows search_path, as the CLI's unqualified queries do.
        sql<{
          n: number;
        }>`select ((to_regclass('"user"') is not null)::int + (to_regclass('role') is not null)::int
          + (to_regclass('roles_users') is not null)::int) as n`;
  const { rows } = await query.execute(db);
  return Number(rows[0]?.n ?? 0) === 3;
}

/**
 * Copies the users of Meltano's old `user`/`role`/`roles_users` tables (v2 and v3 system DBs) into the
 * UI's tables, once per database: a row in ui_imports records that it ran, even when there was nothing
 * to copy. Password hashes are kept as they are (Meltano's bcrypt hashes still verify and are re-hashed
 * at the next sign-in). Users whose name or email is already taken are skipped. Meltano's tables are only read.
 */
export async function importMeltanoUsers(
  tables: UiTables,
  dialect: 'sqlite' | 'postgres',
  now: () => Date = () => new Date(),
): Promise<MeltanoUsersImport> {
  const none: MeltanoUsersImport = { ran: false, users: 0, skipped: [] };
  try {
    return await withAuthDb(tables, (db) =>
      db.transaction().execute(async (trx) => {
        const done = await trx
          .selectFrom('ui_imports')
          .select('name')
          .where('name', '=', MELTANO_USERS_IMPORT)
          .executeTakeFirst();
        if (done !== undefined) return none;
        const result = (await meltanoUserTablesExist(trx, dialect))
          ? await copyUsers(trx, now)
          : { ran: true, users: 0, skipped: [] };
        await trx
          .insertInto('ui_imports')
          .values({
            name: MELTANO_USERS_IMPORT,
            completed_at: now().toISOString(),
            details: JSON.stringify({ users: result.users, skipped: result.skipped }),
          })
          .execute();
        return result;
      }),
    );
  } catch (err) {
    // Another process recorded the import between our check and our insert: it is done.
    if (isUniqueViolation(err)) return none;
    throw err;
  }
}

async function copyUsers(trx: Kysely<AuthDatabase>, now: () => Date): Promise<MeltanoUsersImport> {
  // biome-ignore lint/suspicious/noExplicitAny: see meltanoUserTablesExist().
  const legacy = trx as unknown as Kysely<any>;
  const users = (await legacy
    .selectFrom('user')
    .select(['id', 'username', 'email', 'password', 'active', 'last_login_at', 'login_count'])
    .orderBy('id')
    .execute()) as MeltanoUserRow[];
  const roles = (await legacy.selectFrom('role').select(['id', 'name', 'description']).execute()) as {
    id: number;
    name: string | null;
    description: string | null;
  }[];
  const links = (await legacy.selectFrom('roles_users').select(['user_id', 'role_id']).execute()) as {
    user_id: number | null;
    role_id: number | null;
  }[];

  const known = new Set((await trx.selectFrom('ui_roles').select('name').execute()).map((r) => r.name));
  for (const role of roles) {
    if (role.name === null || known.has(role.name)) continue;
    // A role someone added to Meltano's table: keep it, so assignments survive (it grants nothing by itself).
    await trx.insertInto('ui_roles').values({ name: role.name, description: role.description }).execute();
    known.add(role.name);
  }
  const roleName = new Map(roles.map((r) => [r.id, r.name]));

  const taken = new Set(
    (await trx.selectFrom('ui_users').select(['username', 'email']).execute()).flatMap((u) =>
      [u.username, u.email].filter((v): v is string => v !== null).map((v) => v.toLowerCase()),
    ),
  );
  let copied = 0;
  const skipped: string[] = [];
  for (const u of users) {
    const username = u.username ?? u.email;
    const keys = [u.username, u.email].filter((v): v is string => v !== null).map((v) => v.toLowerCase());
    if (username === null || keys.some((k) => taken.has(k))) {
      skipped.push(username ?? `#${u.id}`);
      continue;
    }
    for (const k of keys) taken.add(k);
    const id = randomUUID();
    await trx
      .insertInto('ui_users')
      .values({
        id,
        username,
        email: u.email,
        password_hash: u.password,
        // Meltano treats a NULL `active` as disabled.
        active: u.active === true || Number(u.active) === 1 ? 1 : 0,
        created_at: now().toISOString(),
        last_login_at: isoFromMeltano(u.last_login_at),
        login_count: Number(u.login_count ?? 0),
        imported_from_meltano_id: u.id,
        oidc_issuer: null,
        oidc_subject: null,
        roles_pinned: 0,
      })
      .execute();
    const assigned = new Set(
      links
        .filter((l) => l.user_id === u.id && l.role_id !== null)
        .map((l) => roleName.get(l.role_id as number))
        .filter((n): n is string => typeof n === 'string'),
    );
    if (assigned.size > 0) {
      await trx
        .insertInto('ui_user_roles')
        .values([...assigned].map((role_name) => ({ user_id: id, role_name })))
        .execute();
    }
    copied++;
  }
  return { ran: true, users: copied, skipped };
}
