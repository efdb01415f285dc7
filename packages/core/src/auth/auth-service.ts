import type { SystemDatabase } from '../db/system-database.js';
import { InvalidInputError } from '../errors.js';
import { type UiTables, uiTables } from '../ui-db/migrate-ui-tables.js';
import {
  type ApiTokensRepository,
  createApiTokensRepository,
  type UiApiToken,
} from './api-tokens.repository.js';
import { importMeltanoUsers } from './import-meltano-users.js';
import { createLoginThrottle, type LoginThrottleRules } from './login-throttle.js';
import { createOidcFlowsRepository } from './oidc-flows.repository.js';
import { createPasswordHasher, type PasswordHasher } from './passwords.js';
import { RecentlyResolved } from './recently-resolved.js';
import {
  createSessionsRepository,
  DEFAULT_SESSION_POLICY,
  type NewSession,
  type SessionClient,
  type SessionPolicy,
  type SessionsRepository,
  type UiSession,
} from './sessions.repository.js';
import {
  createUsersRepository,
  type OidcSignIn,
  type OidcSignInResult,
  type UiUser,
  type UsersRepository,
} from './users.repository.js';

/** New passwords need at least this many characters (OWASP's floor). */
export const MIN_PASSWORD_LENGTH = 8;

export interface AuthServiceOptions {
  db: SystemDatabase;
  /** Reuse the server's handle on the UI tables; one is made otherwise. */
  tables?: UiTables;
  /** `ui.password_salt`, the pepper of every hash. */
  passwordSalt: string;
  /** `ui.legacy_password_salt`: verifies imported Meltano hashes made with another salt. */
  legacyPasswordSalt?: string | null;
  sessionPolicy?: SessionPolicy;
  /** Sign-in attempts allowed per user name and per IP (tests pass their own). */
  loginThrottle?: LoginThrottleRules;
  now?: () => Date;
}

export interface ResolvedSession {
  user: UiUser;
  session: UiSession;
  /** Set when the id was due for rotation: send this token in a new cookie. */
  rotated: NewSession | null;
  /**
   * Why the session's touch or rotation was not written (database busy): the session is valid all
   * the same, and the next request tries again. For the log.
   */
  writeError?: unknown;
}

export function validateNewPassword(password: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new InvalidInputError(`The password must have at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
}

/**
 * Users, passwords, sessions and API tokens: what the server's auth plugin and the `meltano user`
 * commands call. Meltano's old users are imported on first use.
 */
export function createAuthService(opts: AuthServiceOptions) {
  const now = opts.now ?? (() => new Date());
  const tables = opts.tables ?? uiTables(opts.db);
  const hasher: PasswordHasher = createPasswordHasher(opts.passwordSalt, opts.legacyPasswordSalt ?? null);
  const usersRepo: UsersRepository = createUsersRepository(tables, now);
  const policy = opts.sessionPolicy ?? DEFAULT_SESSION_POLICY;
  const sessions: SessionsRepository = createSessionsRepository(tables, policy, now);
  const recentSessions = new RecentlyResolved<{ userId: string; user: UiUser; session: UiSession }>();
  const recentTokens = new RecentlyResolved<{ userId: string; user: UiUser; apiToken: UiApiToken }>();
  /** After any change to a user's account: their sessions and tokens are looked up afresh. */
  const forgetUser = (userId: string) => {
    recentSessions.deleteUser(userId);
    recentTokens.deleteUser(userId);
  };
  const apiTokens: ApiTokensRepository = createApiTokensRepository(tables, now);
  const throttle = createLoginThrottle(tables, opts.loginThrottle, now);
  const oidcFlows = createOidcFlowsRepository(tables, now);

  let imported: Promise<unknown> | null = null;
  const ready = async () => {
    imported ??= importMeltanoUsers(tables, opts.db.kind, now).catch((err: unknown) => {
      imported = null;
      throw err;
    });
    await imported;
  };

  const activeUser = async (id: string): Promise<UiUser | null> => {
    const user = await usersRepo.findById(id);
    return user?.active ? user : null;
  };

  return {
    hasher,
    /** Sign-in attempts, shared through the database by every replica. */
    throttle,
    /** Runs the one-off import of Meltano's users (also done lazily by every other call). */
    ready,

    users: {
      async list(): Promise<UiUser[]> {
        await ready();
        return usersRepo.list();
      },
      async find(usernameOrEmail: string): Promise<UiUser | null> {
        await ready();
        return usersRepo.findByLogin(usernameOrEmail);
      },
      async findById(id: string): Promise<UiUser | null> {
        await ready();
        return usersRepo.findById(id);
      },
      async create(input: { username: string; password: string; email?: string | null; roles?: string[] }) {
        validateNewPassword(input.password);
        await ready();
        return usersRepo.create({
          username: input.username,
          email: input.email ?? null,
          roles: input.roles ?? [],
          passwordHash: await hasher.hash(input.password),
        });
      },
      /** Sets a new password (admin or CLI) and signs the user out everywhere. */
      async setPassword(id: string, password: string): Promise<void> {
        validateNewPassword(password);
        await ready();
        await usersRepo.setPasswordHash(id, await hasher.hash(password));
        forgetUser(id);
        await sessions.destroyForUser(id);
      },
      async setRoles(id: string, roles: string[]): Promise<void> {
        await ready();
        await usersRepo.setRoles(id, roles);
        forgetUser(id);
        // A change of privilege ends the user's sessions (they sign in again with the new roles).
        await sessions.destroyForUser(id);
      },
      async setActive(id: string, active: boolean): Promise<void> {
        await ready();
        await usersRepo.setActive(id, active);
        forgetUser(id);
        if (!active) await sessions.destroyForUser(id);
      },
      async remove(id: string, opts: { keepAnAdmin?: boolean } = {}): Promise<boolean> {
        await ready();
        try {
          return await usersRepo.remove(id, opts);
        } finally {
          forgetUser(id);
        }
      },
      /**
       * Roles, active and/or a new password in one transaction; the user is signed out everywhere
       * (unless only re-enabled). `keepAnAdmin` refuses to leave no active admin (ConflictError).
       * Null when there is no such user.
       */
      async update(
        id: string,
        change: { roles?: string[]; active?: boolean; password?: string; rolesPinned?: boolean },
        opts: { keepAnAdmin?: boolean } = {},
      ): Promise<UiUser | null> {
        if (change.password !== undefined) validateNewPassword(change.password);
        await ready();
        const { password, ...rest } = change;
        // Hashed before the transaction: argon2 takes a while and must not hold the write lock.
        const passwordHash = password === undefined ? undefined : await hasher.hash(password);
        try {
          return await usersRepo.update(
            id,
            { ...rest, ...(passwordHash === undefined ? {} : { passwordHash }) },
            opts,
          );
        } finally {
          forgetUser(id);
        }
      },
      async roles() {
        await ready();
        return usersRepo.listRoles();
      },
      /** A role of the old UI's ACL API: held, it grants what `regular` does (only admin is special). */
      async createRole(role: { name: string; description: string | null }): Promise<boolean> {
        await ready();
        return usersRepo.createRole(role);
      },
      async deleteRole(name: string): Promise<boolean> {
        await ready();
        return usersRepo.deleteRole(name);
      },
    },

    /**
     * The active user whose name or email (case-insensitive) and password match, else null: the same
     * answer and about the same work for an unknown user, a wrong password, or a disabled account.
     * Meltano's hashes and weaker argon2 parameters are replaced on success; last_login_at and
     * login_count are updated.
     */
    async login(usernameOrEmail: string, password: string): Promise<UiUser | null> {
      await ready();
      const found = await usersRepo.credentialsByLogin(usernameOrEmail);
      if (found === null || found.passwordHash === null) {
        await hasher.verifyDummy(password);
        return null;
      }
      const check = await hasher.verify(password, found.passwordHash);
      if (!check.valid || !found.user.active) return null;
      if (check.needsRehash) await usersRepo.setPasswordHash(found.user.id, await hasher.hash(password));
      await usersRepo.recordLogin(found.user.id);
      return usersRepo.findById(found.user.id);
    },

    /** Single sign-on: the flows under way, and the user an identity signs in as. */
    oidc: {
      flows: oidcFlows,
      async signIn(input: OidcSignIn): Promise<OidcSignInResult> {
        await ready();
        const result = await usersRepo.oidcSignIn(input);
        if (result.outcome !== 'email_taken') forgetUser(result.user.id);
        return result;
      },
    },

    /** A new session (call after login: a fresh id each time, never the pre-login one). */
    createSession(userId: string, client: SessionClient = {}): Promise<NewSession> {
      return sessions.create(userId, client);
    },

    /**
     * The session's active user; rotates the id when due, unless `canRotate` is false (a response that
     * cannot carry the new cookie, like a stream). Null for unknown/expired ones.
     */
    async resolveSession(
      token: string,
      client: SessionClient = {},
      canRotate = true,
    ): Promise<ResolvedSession | null> {
      const recent = recentSessions.get(token);
      if (recent !== undefined) {
        const t = now().getTime();
        const { session } = recent;
        const live = Date.parse(session.expires_at) > t && Date.parse(session.absolute_expires_at) > t;
        const rotate = canRotate && t - Date.parse(session.created_at) >= policy.rotateAfterMs;
        if (live && !rotate) return { user: recent.user, session, rotated: null };
        recentSessions.delete(token);
      }
      const found = await sessions.resolve(token);
      if (found === null) return null;
      const user = await activeUser(found.session.user_id);
      if (user === null) {
        // Gone or disabled: no session of theirs counts, whether or not the row goes now.
        await sessions.destroy(token).catch(() => undefined);
        return null;
      }
      let rotated: NewSession | null = null;
      let writeError = found.writeError;
      if (found.rotate && canRotate) {
        try {
          rotated = await sessions.rotate(token, client);
        } catch (err) {
          // The old id stays valid until it is rotated: a later request does it.
          writeError ??= err;
        }
      }
      const resolved = { user, session: rotated?.session ?? found.session, rotated };
      if (rotated === null && writeError === undefined && !found.rotate) {
        recentSessions.set(token, { userId: user.id, user, session: found.session });
      }
      return writeError === undefined ? resolved : { ...resolved, writeError };
    },

    rotateSession(token: string, client: SessionClient = {}): Promise<NewSession | null> {
      recentSessions.delete(token);
      return sessions.rotate(token, client);
    },

    logout(token: string): Promise<void> {
      recentSessions.delete(token);
      return sessions.destroy(token);
    },

    /** The active owner of an unrevoked API token, else null. */
    async resolveApiToken(token: string): Promise<{ user: UiUser; apiToken: UiApiToken } | null> {
      const recent = recentTokens.get(token);
      if (recent !== undefined) return { user: recent.user, apiToken: recent.apiToken };
      const apiToken = await apiTokens.resolve(token);
      if (apiToken === null) return null;
      const user = await activeUser(apiToken.user_id);
      if (user === null) return null;
      recentTokens.set(token, { userId: user.id, user, apiToken });
      return { user, apiToken };
    },

    createApiToken: (userId: string, name: string) => apiTokens.create(userId, name),
    listApiTokens: (userId: string) => apiTokens.listForUser(userId),
    async revokeApiToken(userId: string, id: string) {
      try {
        return await apiTokens.revoke(userId, id);
      } finally {
        recentTokens.deleteWhere((entry) => entry.apiToken.id === id);
      }
    },
    listSessions: (userId: string) => sessions.listForUser(userId),
    /** Deletes expired sessions and old sign-in attempts; nothing (not even the file) while there is no DB. */
    async purgeExpired(): Promise<{ sessions: number; loginAttempts: number }> {
      if (!(await tables.databaseExists())) return { sessions: 0, loginAttempts: 0 };
      const purged = { sessions: await sessions.purgeExpired(), loginAttempts: await throttle.purge() };
      await oidcFlows.purgeExpired();
      return purged;
    },

    /**
     * Changes the user's own password after checking the current one; other sessions end, the one
     * holding `keepSessionToken` stays. False when the current password is wrong.
     */
    async changePassword(
      userId: string,
      currentPassword: string,
      newPassword: string,
      keepSessionToken?: string,
    ): Promise<boolean> {
      validateNewPassword(newPassword);
      const stored = await usersRepo.passwordHashOf(userId);
      const check = await hasher.verify(currentPassword, stored);
      if (!check.valid) return false;
      await usersRepo.setPasswordHash(userId, await hasher.hash(newPassword));
      forgetUser(userId);
      await sessions.destroyForUser(userId, keepSessionToken);
      return true;
    },
  };
}
export type AuthService = ReturnType<typeof createAuthService>;
