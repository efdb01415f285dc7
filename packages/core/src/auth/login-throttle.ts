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

  /** Counts one attempt for the key; the count includes it, and the window opened by the first. */
  const bump = (kind: Kind, key: string, t: number) => {
    const stale = iso(t - rule(kind).windowMs);
    return withAuthDb(tables, (db) =>
      db
        .insertInto('ui_login_attempts')
        .values({ kind, key, window_start: iso(t), attempts: 1 })
        .onConflict((oc) =>
          oc.columns(['kind', 'key']).doUpdateSet({
            // Both SET expressions read the row as it was before this update.
            attempts: sql<number>`case when ui_login_attempts.window_start <= ${stale} then 1 else ui_login_attempts.attempts + 1 end`,
            window_start: sql<string>`case when ui_login_attempts.window_start <= ${stale} then excluded.window_start else ui_login_attempts.window_start end`,
          }),
        )
        .returning(['attempts', 'window_start'])
        .executeTakeFirstOrThrow(),
    );
  };

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
