import { sql } from 'kysely';
import { CoreError } from '../errors.js';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import { withAuthDb } from './auth-tables.js';

export interface ThrottleRule {
  /** Attempts allowed in a window of `windowMs` opened by the first attempt of a burst. */
  limit: number;
  windowMs: number;
}

export interface LoginThrottleRules {
  perUsername: ThrottleRule;
  perIp: ThrottleRule;
}

/** 5 attempts a minute per user name (Airflow: 5 per 40 s; Grafana: 5 per 5 min), 20 per client IP. */
export const DEFAULT_LOGIN_THROTTLE: LoginThrottleRules = {
  perUsername: { limit: 5, windowMs: 60_000 },
  perIp: { limit: 20, windowMs: 60_000 },
};

export class TooManyAttemptsError extends CoreError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(
      'too_many_attempts',
      429,
      `Too many failed sign-in attempts. Try again in ${retryAfterSeconds} s.`,
      { retry_after_seconds: retryAfterSeconds },
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

type Kind = 'username' | 'ip';

interface Counted {
  attempts: number;
  window_start: string;
}

/** Attempts for one key counted by one upsert, in the order they arrived. */
interface Batch {
  t: number;
  attempts: { resolve(counted: Counted): void; reject(err: unknown): void }[];
}

const iso = (ms: number) => new Date(ms).toISOString();
const userKey = (username: string) => username.trim().toLowerCase().slice(0, 255);
const ipKey = (ip: string) => ip.slice(0, 255);

/**
 * Sign-in attempts per user name and per client IP (the real client only when the proxy is trusted),
 * counted in the ui_login_attempts table so every replica shares them. An attempt is reserved (counted)
 * by one atomic upsert before its password is checked: a burst of concurrent attempts gets at most
 * `limit` password checks, whatever the number of requests, processes or replicas.
 */
export function createLoginThrottle(
  tables: UiTables,
  rules: LoginThrottleRules = DEFAULT_LOGIN_THROTTLE,
  now: () => Date = () => new Date(),
) {
  const rule = (kind: Kind) => (kind === 'username' ? rules.perUsername : rules.perIp);

  /**
   * One upsert counting `n` attempts for the key: the count after them, and the window opened by the
   * first attempt of the burst (a window that has passed starts again with these `n`).
   */
  const add = (kind: Kind, key: string, n: number, t: number) => {
    const stale = iso(t - rule(kind).windowMs);
    return withAuthDb(tables, (db) =>
      db
        .insertInto('ui_login_attempts')
        .values({ kind, key, window_start: iso(t), attempts: n })
        .onConflict((oc) =>
          oc.columns(['kind', 'key']).doUpdateSet({
            // Both SET expressions read the row as it was before this update.
            attempts: sql<number>`case when ui_login_attempts.window_start <= ${stale} then ${sql.lit(n)} else ui_login_attempts.attempts + ${sql.lit(n)} end`,
            window_start: sql<string>`case when ui_login_attempts.window_start <= ${stale} then excluded.window_start else ui_login_attempts.window_start end`,
          }),
        )
        .returning(['attempts', 'window_start'])
        .executeTakeFirstOrThrow(),
    );
  };

  // Attempts for one key that arrive while its upsert is in flight are counted together by the next
  // one: a burst of a thousand sign-ins for one user is two statements, not a thousand queued on one
  // row lock (on PostgreSQL they waited for a pool client past its 3 s limit and answered 503). Each
  // attempt still gets its own place in the count, so no more than `limit` go on to a password check.
  const waiting = new Map<string, Batch>();
  const running = new Map<string, Promise<void>>();

  const count = async (kind: Kind, key: string, batch: Batch) => {
    try {
      const row = await add(kind, key, batch.attempts.length, batch.t);
      const before = Number(row.attempts) - batch.attempts.length;
      for (const [i, attempt] of batch.attempts.entries()) {
        attempt.resolve({ attempts: before + i + 1, window_start: row.window_start });
      }
    } catch (err) {
      for (const attempt of batch.attempts) attempt.reject(err);
    }
  };

  /** Counts one attempt for the key; the count includes it, and the window opened by the first. */
  const bump = (kind: Kind, key: string, t: number) =>
    new Promise<Counted>((resolve, reject) => {
      const id = `${kind}:${key}`;
      let batch = waiting.get(id);
      if (batch === undefined) {
        const next: Batch = { t, attempts: [] };
        batch = next;
        waiting.set(id, next);
        const ahead = running.get(id) ?? Promise.resolve();
        const done = ahead.then(() => {
          waiting.delete(id);
          return count(kind, key, next);
        });
        running.set(id, done);
        void done.then(() => {
          if (running.get(id) === done) running.delete(id);
        });
      }
      batch.attempts.push({ resolve, reject });
    });

  const refuseIfOver = (kind: Kind, row: { attempts: number; window_start: string }, t: number) => {
    if (Number(row.attempts) <= rule(kind).limit) return;
    const waitMs = Date.parse(row.window_start) + rule(kind).windowMs - t;
    throw new TooManyAttemptsError(Math.max(1, Math.ceil(waitMs / 1000)));
  };

  return {
    rules,

    /**
     * Reserves one attempt for the user name and the IP; throws TooManyAttemptsError (nothing to
     * check) when either is over its limit. Call before checking the password.
     */
    async reserve(username: string, ip: string): Promise<void> {
      const t = now().getTime();
      refuseIfOver('username', await bump('username', userKey(username), t), t);
      refuseIfOver('ip', await bump('ip', ipKey(ip), t), t);
    },

    /**
     * After a correct password: the user name starts afresh, and the IP gets its reservation back
     * (the IP limit counts failures, so many people behind one NAT can still sign in).
     */
    async succeeded(username: string, ip: string): Promise<void> {
      await withAuthDb(tables, async (db) => {
        await db
          .deleteFrom('ui_login_attempts')
          .where('kind', '=', 'username')
          .where('key', '=', userKey(username))
          .execute();
        await db
          .updateTable('ui_login_attempts')
          .set({ attempts: sql<number>`attempts - 1` })
          .where('kind', '=', 'ip')
          .where('key', '=', ipKey(ip))
          .where('attempts', '>', 0)
          .execute();
      });
    },

    /** Deletes the rows whose window has passed; returns how many. */
    async purge(): Promise<number> {
      const t = now().getTime();
      const result = await withAuthDb(tables, (db) =>
        db
          .deleteFrom('ui_login_attempts')
          .where((eb) =>
            eb.or(
              (['username', 'ip'] as const).map((kind) =>
                eb.and([eb('kind', '=', kind), eb('window_start', '<=', iso(t - rule(kind).windowMs))]),
              ),
            ),
          )
          .executeTakeFirst(),
      );
      return Number(result.numDeletedRows);
    },
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
