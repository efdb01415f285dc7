import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { ConflictError, InvalidInputError } from '../errors.js';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import {
  type AuthDb,
  isUniqueViolation,
  type UiUsersTable,
  withAuthDb,
  withAuthWriteTransaction,
} from './auth-tables.js';

/** A user as the rest of the app sees it (never the password hash). */
export interface UiUser {
  id: string;
  username: string;
  email: string | null;
  active: boolean;
  roles: string[];
  created_at: string;
  last_login_at: string | null;
  login_count: number;
  /** The id in Meltano's old `user` table this user was imported from. */
  imported_from_meltano_id: number | null;
  /** The OpenID Provider's issuer this user signs in with (null: a local user). */
  oidc_issuer: string | null;
  oidc_subject: string | null;
  /** An admin pinned the roles: single sign-on no longer applies the role map to them. */
  roles_pinned: boolean;
}

export interface UiRole {
  name: string;
  description: string | null;
}

export interface NewUser {
  username: string;
  email?: string | null;
  passwordHash: string | null;
  roles?: string[];
  active?: boolean;
}

function view(row: UiUsersTable, roles: string[]): UiUser {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    active: Number(row.active) === 1,
    roles: [...roles].sort(),
    created_at: row.created_at,
    last_login_at: row.last_login_at,
    login_count: Number(row.login_count),
    imported_from_meltano_id: row.imported_from_meltano_id,
    oidc_issuer: row.oidc_issuer ?? null,
    oidc_subject: row.oidc_subject ?? null,
    roles_pinned: Number(row.roles_pinned ?? 0) === 1,
  };
}

async function rolesOf(db: AuthDb, userIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (userIds.length === 0) return out;
  const rows = await db.selectFrom('ui_user_roles').selectAll().where('user_id', 'in', userIds).execute();
  for (const r of rows) out.set(r.user_id, [...(out.get(r.user_id) ?? []), r.role_name]);
  return out;
}

async function checkRoles(db: AuthDb, roles: string[]): Promise<void> {
  if (roles.length === 0) return;
  const known = new Set(
    (await db.selectFrom('ui_roles').select('name').where('name', 'in', roles).execute()).map((r) => r.name),
  );
  const missing = roles.find((r) => !known.has(r));
  if (missing !== undefined)
    throw new InvalidInputError(`Role '${missing}' does not exist.`, { role: missing });
}

async function replaceRoles(db: AuthDb, userId: string, roles: string[]): Promise<void> {
  await checkRoles(db, roles);
  await db.deleteFrom('ui_user_roles').where('user_id', '=', userId).execute();
  const unique = [...new Set(roles)];
  if (unique.length > 0) {
    await db
      .insertInto('ui_user_roles')
      .values(unique.map((role_name) => ({ user_id: userId, role_name })))
      .execute();
  }
}

export interface UserChange {
  roles?: string[];
  active?: boolean;
  passwordHash?: string;
  rolesPinned?: boolean;
}

/** What a single sign-on tells about its user (claims already validated). */
export interface OidcSignIn {
  issuer: string;
  subject: string;
  /** User names to try, in order (the first free one is taken for a new user). */
  usernames: string[];
  /** The verified email, else null. */
  email: string | null;
  /** The role the map gives (applied unless the user's roles are pinned). */
  role: string;
}

export type OidcSignInResult =
  | { outcome: 'ok'; user: UiUser; created: boolean }
  | { outcome: 'disabled'; user: UiUser }
  | { outcome: 'email_taken' };

const isActiveAdmin = (u: { active: boolean; roles: string[] }) => u.active && u.roles.includes('admin');

/**
 * Refuses a change that would leave no active admin (nobody could manage users then). Runs inside the
 * write transaction of the change, after the lock, so two admins demoting each other cannot both pass.
 */
async function keepAnAdmin(db: AuthDb, target: UiUser, after: { roles: string[]; active: boolean } | null) {
  if (!isActiveAdmin(target) || (after !== null && isActiveAdmin(after))) return;
  const others = await db
    .selectFrom('ui_users')
    .innerJoin('ui_user_roles', 'ui_user_roles.user_id', 'ui_users.id')
    .select('ui_users.id')
    .where('ui_user_roles.role_name', '=', 'admin')
    .where('ui_users.active', '=', 1)
    .where('ui_users.id', '!=', target.id)
    .limit(1)
    .execute();
  if (others.length === 0) {
    throw new ConflictError(
      'last_admin',
      `${target.username} is the last active admin; make someone else admin first.`,
    );
  }
}

/** On PostgreSQL, every user row, so concurrent user changes run one after the other (SQLite: BEGIN IMMEDIATE). */
async function lockUsers(db: AuthDb, kind: UiTables['kind']): Promise<void> {
  if (kind === 'postgres') await sql`select id from ui_users order by id for update`.execute(db);
}

/** The ui_users, ui_roles and ui_user_roles tables. */
export function createUsersRepository(tables: UiTables, now: () => Date = () => new Date()) {
  const byLogin = (db: AuthDb, login: string) =>
    db
      .selectFrom('ui_users')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb(sql<string>`lower(username)`, '=', login.toLowerCase()),
          eb(sql<string>`lower(email)`, '=', login.toLowerCase()),
        ]),
      )
      // A user name that is also someone else's email: the user name wins.
      .orderBy(sql`case when lower(username) = ${login.toLowerCase()} then 0 else 1 end`)
      .executeTakeFirst();

  const withRoles = async (db: AuthDb, row: UiUsersTable | undefined): Promise<UiUser | null> =>
    row === undefined ? null : view(row, (await rolesOf(db, [row.id])).get(row.id) ?? []);

  return {
    async create(user: NewUser): Promise<UiUser> {
      const row: UiUsersTable = {
        id: randomUUID(),
        username: user.username,
        email: user.email ?? null,
        password_hash: user.passwordHash,
        active: user.active === false ? 0 : 1,
        created_at: now().toISOString(),
        last_login_at: null,
        login_count: 0,
        imported_from_meltano_id: null,
        oidc_issuer: null,
        oidc_subject: null,
        roles_pinned: 0,
      };
      try {
        await withAuthDb(tables, (db) =>
          db.transaction().execute(async (trx) => {
            await trx.insertInto('ui_users').values(row).execute();
            await replaceRoles(trx, row.id, user.roles ?? []);
          }),
        );
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
        throw new ConflictError('user_exists', `A user '${user.username}' already exists.`);
      }
      return view(row, user.roles ?? []);
    },

    /** By user name or email, case-insensitively (how sign-in and the CLI find users). */
    findByLogin(login: string): Promise<UiUser | null> {
      return withAuthDb(tables, async (db) => withRoles(db, await byLogin(db, login)));
    },

    findById(id: string): Promise<UiUser | null> {
      return withAuthDb(tables, async (db) =>
        withRoles(db, await db.selectFrom('ui_users').selectAll().where('id', '=', id).executeTakeFirst()),
      );
    },

    /** The user and its stored hash, for password checks only. */
    credentialsByLogin(login: string): Promise<{ user: UiUser; passwordHash: string | null } | null> {
      return withAuthDb(tables, async (db) => {
        const row = await byLogin(db, login);
        const user = await withRoles(db, row);
        return user === null || row === undefined ? null : { user, passwordHash: row.password_hash };
      });
    },

    passwordHashOf(id: string): Promise<string | null> {
      return withAuthDb(tables, async (db) => {
        const row = await db
          .selectFrom('ui_users')
          .select('password_hash')
          .where('id', '=', id)
          .executeTakeFirst();
        return row?.password_hash ?? null;
      });
    },

    list(): Promise<UiUser[]> {
      return withAuthDb(tables, async (db) => {
        const rows = await db.selectFrom('ui_users').selectAll().orderBy('username').execute();
        const roles = await rolesOf(
          db,
          rows.map((r) => r.id),
        );
        return rows.map((r) => view(r, roles.get(r.id) ?? []));
      });
    },

    /**
     * Changes roles, active and/or password in one write transaction that also ends the user's
     * sessions (a change of privilege or password signs them out). With `keepAnAdmin`, refuses
     * (ConflictError last_admin) a change that would leave no active admin. Null when there is no user.
     */
    update(id: string, change: UserChange, opts: { keepAnAdmin?: boolean } = {}): Promise<UiUser | null> {
      return withAuthWriteTransaction(tables, async (trx) => {
        await lockUsers(trx, tables.kind);
        const find = async () =>
          withRoles(
            trx,
            await trx.selectFrom('ui_users').selectAll().where('id', '=', id).executeTakeFirst(),
          );
        const target = await find();
        if (target === null) return null;
        const after = { roles: change.roles ?? target.roles, active: change.active ?? target.active };
        if (opts.keepAnAdmin) await keepAnAdmin(trx, target, after);
        if (change.roles !== undefined) await replaceRoles(trx, id, change.roles);
        if (change.active !== undefined) {
          await trx
            .updateTable('ui_users')
            .set({ active: change.active ? 1 : 0 })
            .where('id', '=', id)
            .execute();
        }
        if (change.rolesPinned !== undefined) {
          await trx
            .updateTable('ui_users')
            .set({ roles_pinned: change.rolesPinned ? 1 : 0 })
            .where('id', '=', id)
            .execute();
        }
        if (change.passwordHash !== undefined) {
          await trx
            .updateTable('ui_users')
            .set({ password_hash: change.passwordHash })
            .where('id', '=', id)
            .execute();
        }
        if (change.roles !== undefined || change.active === false || change.passwordHash !== undefined) {
          await trx.deleteFrom('ui_sessions').where('user_id', '=', id).execute();
        }
        return find();
      });
    },

    /**
     * Deletes the user with its roles, sessions and API tokens; false when there was none. With
     * `keepAnAdmin`, refuses (ConflictError last_admin) to remove the last active admin.
     */
    remove(id: string, opts: { keepAnAdmin?: boolean } = {}): Promise<boolean> {
      return withAuthWriteTransaction(tables, async (trx) => {
        await lockUsers(trx, tables.kind);
        if (opts.keepAnAdmin) {
          const target = await withRoles(
            trx,
            await trx.selectFrom('ui_users').selectAll().where('id', '=', id).executeTakeFirst(),
          );
          if (target === null) return false;
          await keepAnAdmin(trx, target, null);
        }
        await trx.deleteFrom('ui_user_roles').where('user_id', '=', id).execute();
        await trx.deleteFrom('ui_sessions').where('user_id', '=', id).execute();
        await trx.deleteFrom('ui_api_tokens').where('user_id', '=', id).execute();
        const result = await trx.deleteFrom('ui_users').where('id', '=', id).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      });
    },

    async setPasswordHash(id: string, passwordHash: string): Promise<void> {
      await withAuthDb(tables, (db) =>
        db.updateTable('ui_users').set({ password_hash: passwordHash }).where('id', '=', id).execute(),
      );
    },

    async setActive(id: string, active: boolean): Promise<void> {
      await withAuthDb(tables, (db) =>
        db
          .updateTable('ui_users')
          .set({ active: active ? 1 : 0 })
          .where('id', '=', id)
          .execute(),
      );
    },

    /** Replaces the user's roles with exactly `roles` (InvalidInputError for an unknown role). */
    async setRoles(id: string, roles: string[]): Promise<void> {
      await withAuthWriteTransaction(tables, (trx) => replaceRoles(trx, id, roles));
    },

    async recordLogin(id: string): Promise<void> {
      await withAuthDb(tables, (db) =>
        db
          .updateTable('ui_users')
          .set((eb) => ({ last_login_at: now().toISOString(), login_count: eb('login_count', '+', 1) }))
          .where('id', '=', id)
          .execute(),
      );
    },

    /**
     * The user of an OpenID Provider identity (issuer + subject, never the email alone), created on
     * first sign-in (no password) or updated: email, the mapped role unless pinned, last sign-in. A
     * disabled user is returned as such, unchanged. `email_taken`: a new identity whose verified
     * email another account already has (it is not linked by email).
     */
    oidcSignIn(input: OidcSignIn): Promise<OidcSignInResult> {
      return withAuthWriteTransaction(tables, async (trx) => {
        await lockUsers(trx, tables.kind);
        const t = now().toISOString();
        const existing = await trx
          .selectFrom('ui_users')
          .selectAll()
          .where('oidc_issuer', '=', input.issuer)
          .where('oidc_subject', '=', input.subject)
          .executeTakeFirst();
        const emailOwner = async () =>
          input.email === null
            ? undefined
            : trx
                .selectFrom('ui_users')
                .select('id')
                .where(sql<string>`lower(email)`, '=', input.email.toLowerCase())
                .executeTakeFirst();
        if (existing !== undefined) {
          const user = await withRoles(trx, existing);
          if (user === null || !user.active) return { outcome: 'disabled', user: user as UiUser };
          const owner = await emailOwner();
          // A changed email is kept unless another account has it (then the old one stays).
          const email = owner === undefined || owner.id === existing.id ? input.email : existing.email;
          await trx
            .updateTable('ui_users')
            .set((eb) => ({ email, last_login_at: t, login_count: eb('login_count', '+', 1) }))
            .where('id', '=', existing.id)
            .execute();
          if (Number(existing.roles_pinned) !== 1) await replaceRoles(trx, existing.id, [input.role]);
          const after = await trx
            .selectFrom('ui_users')
            .selectAll()
            .where('id', '=', existing.id)
            .executeTakeFirst();
          return { outcome: 'ok', user: (await withRoles(trx, after)) as UiUser, created: false };
        }
        if ((await emailOwner()) !== undefined) return { outcome: 'email_taken' };
        let username: string | null = null;
        const taken = async (name: string) =>
          (await trx
            .selectFrom('ui_users')
            .select('id')
            .where(sql<string>`lower(username)`, '=', name.toLowerCase())
            .executeTakeFirst()) !== undefined;
        const candidates = input.usernames.map((u) => u.trim().slice(0, 200)).filter((u) => u !== '');
        for (const name of candidates) {
          if (!(await taken(name))) {
            username = name;
            break;
          }
        }
        const base = candidates[0] ?? `oidc-${input.subject}`.slice(0, 190);
        for (let n = 2; username === null; n++) {
          if (!(await taken(`${base}-${n}`))) username = `${base}-${n}`;
        }
        const row: UiUsersTable = {
          id: randomUUID(),
          username,
          email: input.email,
          password_hash: null,
          active: 1,
          created_at: t,
          last_login_at: t,
          login_count: 1,
          imported_from_meltano_id: null,
          oidc_issuer: input.issuer,
          oidc_subject: input.subject,
          roles_pinned: 0,
        };
        await trx.insertInto('ui_users').values(row).execute();
        await replaceRoles(trx, row.id, [input.role]);
        return { outcome: 'ok', user: view(row, [input.role]), created: true };
      });
    },

    /** Adds a role (the old UI's ACL API could); false when it exists already. */
    async createRole(role: UiRole): Promise<boolean> {
      return withAuthWriteTransaction(tables, async (trx) => {
        const found = await trx
          .selectFrom('ui_roles')
          .select('name')
          .where('name', '=', role.name)
          .executeTakeFirst();
        if (found) return false;
        await trx.insertInto('ui_roles').values({ name: role.name, description: role.description }).execute();
        return true;
      });
    },

    /** Removes a role and every user's holding of it; false when there is none. */
    async deleteRole(name: string): Promise<boolean> {
      return withAuthWriteTransaction(tables, async (trx) => {
        await trx.deleteFrom('ui_user_roles').where('role_name', '=', name).execute();
        const result = await trx.deleteFrom('ui_roles').where('name', '=', name).executeTakeFirst();
        return Number(result.numDeletedRows) > 0;
      });
    },

    listRoles(): Promise<UiRole[]> {
      return withAuthDb(tables, (db) => db.selectFrom('ui_roles').selectAll().orderBy('name').execute());
    },
  };
}
export type UsersRepository = ReturnType<typeof createUsersRepository>;
