import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import { type UiSessionsTable, withAuthDb, withAuthWriteTransaction } from './auth-tables.js';
import { randomToken, tokenHash } from './tokens.js';

/** Defaults: idle 8 h, absolute 7 d, a new id every 15 min (users-and-peers.md (d)). */
export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
  rotateAfterMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = {
  idleMs: 8 * 60 * 60 * 1000,
  absoluteMs: 7 * 24 * 60 * 60 * 1000,
  rotateAfterMs: 15 * 60 * 1000,
};

// last_seen_at/expires_at are written at most this often, not on every request.
const TOUCH_EVERY_MS = 60 * 1000;
// A rotated-out id keeps working this long: requests the browser sent before it got the new cookie
// (parallel API calls, a live log stream that cannot set cookies) must not sign the user out.
export const ROTATION_GRACE_MS = 60 * 1000;

/** A session as stored: `id` is the sha256 of the token, safe to log or show ("sign out this session"). */
export type UiSession = UiSessionsTable;

export interface NewSession {
  /** The only copy of the secret: goes into the cookie, never into the database. */
  token: string;
  session: UiSession;
}

export interface SessionClient {
  ip?: string | null;
  userAgent?: string | null;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The ui_sessions table: server-side sessions shared by every replica. */
export function createSessionsRepository(
  tables: UiTables,
  policy: SessionPolicy = DEFAULT_SESSION_POLICY,
  now: () => Date = () => new Date(),
) {
  const insert = async (row: UiSessionsTable) => {
    await withAuthDb(tables, (db) => db.insertInto('ui_sessions').values(row).execute());
  };

  return {
    policy,

    async create(userId: string, client: SessionClient = {}): Promise<NewSession> {
      const t = now().getTime();
      const token = randomToken();
      const session: UiSession = {
        id: tokenHash(token),
        user_id: userId,
        created_at: iso(t),
        last_seen_at: iso(t),
        expires_at: iso(Math.min(t + policy.idleMs, t + policy.absoluteMs)),
        absolute_expires_at: iso(t + policy.absoluteMs),
        ip: client.ip ?? null,
        user_agent: client.userAgent?.slice(0, 512) ?? null,
      };
      await insert(session);
      return { token, session };
    },

    /**
     * The live session for `token`, its idle expiry pushed forward; null (and the row deleted) once the
     * idle or absolute expiry has passed. `rotate` says the id is old enough to be replaced. Only the
     * read must succeed: when the touch cannot be written (another process holds the SQLite write
     * lock past busy_timeout), the session still counts and `writeError` says why it was not touched.
     */
    async resolve(
      token: string,
    ): Promise<{ session: UiSession; rotate: boolean; writeError?: unknown } | null> {
      const id = tokenHash(token);
      return withAuthDb(tables, async (db) => {
        const row = await db.selectFrom('ui_sessions').selectAll().where('id', '=', id).executeTakeFirst();
        if (row === undefined) return null;
        const t = now().getTime();
        if (Date.parse(row.expires_at) <= t || Date.parse(row.absolute_expires_at) <= t) {
          // Expired whether or not the row goes now: a failed delete is left to purgeExpired().
          await db
            .deleteFrom('ui_sessions')
            .where('id', '=', id)
            .execute()
            .catch(() => undefined);
          return null;
        }
        const rotate = t - Date.parse(row.created_at) >= policy.rotateAfterMs;
        if (t - Date.parse(row.last_seen_at) < TOUCH_EVERY_MS) return { session: row, rotate };
        const fields = {
          last_seen_at: iso(t),
          expires_at: iso(Math.min(t + policy.idleMs, Date.parse(row.absolute_expires_at))),
        };
        try {
          await db.updateTable('ui_sessions').set(fields).where('id', '=', id).execute();
        } catch (writeError) {
          return { session: row, rotate, writeError };
        }
        return { session: { ...row, ...fields }, rotate };
      });
    },

    /**
     * Replaces the session's id (same user, same absolute expiry) and returns the new token; the old id
     * works for ROTATION_GRACE_MS more. Null when the old one is gone or was rotated concurrently.
     */
    async rotate(token: string, client: SessionClient = {}): Promise<NewSession | null> {
      const oldId = tokenHash(token);
      const next = randomToken();
      // A write transaction from the start: on SQLite, a read-then-write transaction fails at once
      // (SQLITE_BUSY, no waiting) when another process wrote in between.
      return withAuthWriteTransaction(tables, async (trx) => {
        const row = await trx
          .selectFrom('ui_sessions')
          .selectAll()
          .where('id', '=', oldId)
          .executeTakeFirst();
        if (row === undefined) return null;
        const t = now().getTime();
        // The old id ends after a short grace (and is not rotated again); a concurrent rotation wins once.
        const graceEnd = iso(Math.min(t + ROTATION_GRACE_MS, Date.parse(row.absolute_expires_at)));
        const retired = await trx
          .updateTable('ui_sessions')
          .set({ created_at: iso(t), expires_at: graceEnd, absolute_expires_at: graceEnd })
          .where('id', '=', oldId)
          .where('created_at', '=', row.created_at)
          .executeTakeFirst();
        if (Number(retired.numUpdatedRows) === 0) return null;
        const session: UiSession = {
          ...row,
          id: tokenHash(next),
          created_at: iso(t),
          last_seen_at: iso(t),
          expires_at: iso(Math.min(t + policy.idleMs, Date.parse(row.absolute_expires_at))),
          ip: client.ip ?? row.ip,
          user_agent: client.userAgent?.slice(0, 512) ?? row.user_agent,
        };
        await trx.insertInto('ui_sessions').values(session).execute();
        return { token: next, session };
      });
    },

    async destroy(token: string): Promise<void> {
      await withAuthDb(tables, (db) =>
        db.deleteFrom('ui_sessions').where('id', '=', tokenHash(token)).execute(),
      );
    },

    /** Signs the user out everywhere, except the session whose token is `keepToken`. */
    async destroyForUser(userId: string, keepToken?: string): Promise<void> {
      await withAuthDb(tables, (db) => {
        let q = db.deleteFrom('ui_sessions').where('user_id', '=', userId);
        if (keepToken !== undefined) q = q.where('id', '!=', tokenHash(keepToken));
        return q.execute();
      });
    },

    listForUser(userId: string): Promise<UiSession[]> {
      return withAuthDb(tables, (db) =>
        db
          .selectFrom('ui_sessions')
          .selectAll()
          .where('user_id', '=', userId)
          .orderBy('created_at')
          .execute(),
      );
    },

    /** Deletes every expired session; returns how many. */
    async purgeExpired(): Promise<number> {
      const t = iso(now().getTime());
      const result = await withAuthDb(tables, (db) =>
        db
          .deleteFrom('ui_sessions')
          .where((eb) => eb.or([eb('expires_at', '<=', t), eb('absolute_expires_at', '<=', t)]))
          .executeTakeFirst(),
      );
      return Number(result.numDeletedRows);
    },
  };
}
export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
