import { CoreError } from '../errors.js';

export interface ThrottleRule {
  /** Failed attempts allowed within `windowMs`; the next one is refused until the oldest ages out. */
  limit: number;
  windowMs: number;
}

/** 5 failures a minute per user name (Airflow: 5 per 40 s; Grafana: 5 per 5 min), 20 per client IP. */
export const DEFAULT_LOGIN_THROTTLE = {
  perUsername: { limit: 5, windowMs: 60_000 },
  perIp: { limit: 20, windowMs: 60_000 },
} satisfies Record<string, ThrottleRule>;

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

/** Sliding windows of failure times, one list per key. */
function failureLog(rule: ThrottleRule, now: () => number) {
  const failures = new Map<string, number[]>();
  const recent = (key: string): number[] => {
    const cutoff = now() - rule.windowMs;
    const kept = (failures.get(key) ?? []).filter((t) => t > cutoff);
    if (kept.length === 0) failures.delete(key);
    else failures.set(key, kept);
    return kept;
  };
  return {
    /** Milliseconds until the key may try again, 0 when it may now. */
    waitMs(key: string): number {
      const kept = recent(key);
      if (kept.length < rule.limit) return 0;
      return (kept[kept.length - rule.limit] ?? 0) + rule.windowMs - now();
    },
    fail(key: string): void {
      failures.set(key, [...recent(key), now()].slice(-rule.limit));
    },
    clear(key: string): void {
      failures.delete(key);
    },
    /** Drops keys with nothing recent, so the maps do not grow with every IP ever seen. */
    sweep(): void {
      for (const key of [...failures.keys()]) recent(key);
    },
  };
}

/**
 * Failed sign-ins per user name and per client IP (the real client only when the proxy is trusted).
 * Kept in this process's memory: each replica counts its own attempts.
 */
export function createLoginThrottle(
  rules: { perUsername: ThrottleRule; perIp: ThrottleRule } = DEFAULT_LOGIN_THROTTLE,
  now: () => number = Date.now,
) {
  const byUser = failureLog(rules.perUsername, now);
  const byIp = failureLog(rules.perIp, now);
  const userKey = (username: string) => username.trim().toLowerCase();
  let calls = 0;
  return {
    /** Throws TooManyAttemptsError while either key is over its limit. */
    check(username: string, ip: string): void {
      if (++calls % 1000 === 0) {
        byUser.sweep();
        byIp.sweep();
      }
      const wait = Math.max(byUser.waitMs(userKey(username)), byIp.waitMs(ip));
      if (wait > 0) throw new TooManyAttemptsError(Math.ceil(wait / 1000));
    },
    failed(username: string, ip: string): void {
      byUser.fail(userKey(username));
      byIp.fail(ip);
    },
    succeeded(username: string): void {
      byUser.clear(userKey(username));
    },
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
