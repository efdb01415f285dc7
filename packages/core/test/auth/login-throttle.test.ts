import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLoginThrottle, TooManyAttemptsError } from '../../src/auth/login-throttle.js';
import { uiTables } from '../../src/ui-db/migrate-ui-tables.js';
import { DIALECTS } from '../support/backends.js';
import { type AuthBackends, prepareAuthBackends } from './auth-backends.js';

let backends: AuthBackends;
beforeAll(async () => {
  backends = await prepareAuthBackends();
});
afterAll(() => backends.cleanup());

const rules = { perUsername: { limit: 3, windowMs: 10_000 }, perIp: { limit: 5, windowMs: 10_000 } };

async function refusal(attempt: Promise<void>): Promise<TooManyAttemptsError | null> {
  try {
    await attempt;
    return null;
  } catch (err) {
    if (err instanceof TooManyAttemptsError) return err;
    throw err;
  }
}

describe.each(DIALECTS)('login throttle on %s', (dialect) => {
  it('counts from the first attempt of a burst and refuses the next until its window ends', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const throttle = createLoginThrottle(
      uiTables(await backends.open(dialect, 'v3.9.5')),
      rules,
      () => new Date(t),
    );
    for (let i = 0; i < 3; i++) {
      expect(await refusal(throttle.reserve('Alice', `10.0.0.${i}`))).toBeNull();
      t += 1000;
    }
    const refused = await refusal(throttle.reserve('alice', '10.0.0.9'));
    expect(refused?.status).toBe(429);
    // The window opened at the first attempt, 3 s ago.
    expect(refused?.retryAfterSeconds).toBe(7);
    t = Date.parse('2026-01-01T00:00:10Z');
    expect(await refusal(throttle.reserve('alice', '10.0.0.9'))).toBeNull();
  });

  it('refuses an IP trying many user names; a success clears the user name and gives the IP its attempt back', async () => {
    const throttle = createLoginThrottle(uiTables(await backends.open(dialect, 'v3.9.5')), rules);
    for (let i = 0; i < 5; i++) await throttle.reserve(`user${i}`, '192.0.2.1');
    expect(await refusal(throttle.reserve('someone', '192.0.2.1'))).toBeInstanceOf(TooManyAttemptsError);
    expect(await refusal(throttle.reserve('someone', '192.0.2.2'))).toBeNull();

    for (let i = 0; i < 3; i++) await throttle.reserve('bob', '192.0.2.3');
    await throttle.succeeded('bob', '192.0.2.3');
    for (let i = 0; i < 3; i++) expect(await refusal(throttle.reserve('bob', '192.0.2.3'))).toBeNull();
    // 6 attempts from 192.0.2.3, one of them a success: 5 count, the limit is reached, not passed.
    expect(await refusal(throttle.reserve('carol', '192.0.2.3'))).toBeInstanceOf(TooManyAttemptsError);
  });

  it('lets through at most the limit of 200 concurrent attempts, across two handles on one database', async () => {
    const db = await backends.open(dialect, 'v3.9.5');
    const one = createLoginThrottle(uiTables(db), DEFAULT_RULES);
    const other = createLoginThrottle(uiTables(backends.reopen(db)), DEFAULT_RULES);
    // Both handles migrated before the burst, so the burst measures the counter alone.
    await one.purge();
    await other.purge();
    const outcomes = await Promise.all(
      Array.from({ length: 200 }, (_, i) => refusal((i % 2 ? one : other).reserve('alice', '203.0.113.5'))),
    );
    expect(outcomes.filter((o) => o === null)).toHaveLength(5);
    expect(outcomes.filter((o) => o instanceof TooManyAttemptsError)).toHaveLength(195);
  });

  it('counts a concurrent burst together: after a window has passed, the burst opens the next one', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const throttle = createLoginThrottle(
      uiTables(await backends.open(dialect, 'v3.9.5')),
      rules,
      () => new Date(t),
    );
    const burst = (n: number) =>
      Promise.all(Array.from({ length: n }, (_, i) => refusal(throttle.reserve('dora', `198.51.100.${i}`))));
    expect((await burst(10)).filter((o) => o === null)).toHaveLength(3);
    t += 10_000;
    const next = await burst(10);
    expect(next.filter((o) => o === null)).toHaveLength(3);
    expect(next.filter((o) => o !== null).map((o) => o?.retryAfterSeconds)).toEqual(Array(7).fill(10));
  });

  it('purges the rows whose window has passed', async () => {
    let t = Date.parse('2026-01-01T00:00:00Z');
    const tables = uiTables(await backends.open(dialect, 'v3.9.5'));
    const throttle = createLoginThrottle(tables, rules, () => new Date(t));
    await throttle.reserve('alice', '10.0.0.1');
    t += 5_000;
    await throttle.reserve('bob', '10.0.0.2');
    t += 6_000;
    expect(await throttle.purge()).toBe(2); // alice and 10.0.0.1; bob's window is still open
    const left = await tables.with((k) =>
      k.selectFrom('ui_login_attempts').select(['kind', 'key']).execute(),
    );
    expect(left).toEqual(
      expect.arrayContaining([
        { kind: 'username', key: 'bob' },
        { kind: 'ip', key: '10.0.0.2' },
      ]),
    );
    expect(left).toHaveLength(2);
  });
});

const DEFAULT_RULES = { perUsername: { limit: 5, windowMs: 60_000 }, perIp: { limit: 20, windowMs: 60_000 } };
