import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

const AUTH_ENV = {
  MELTANO_UI_AUTHENTICATION: 'true',
  MELTANO_UI_LEGACY_PASSWORD_SALT: 'fixture-salt-7f3a9c',
};

// The argon2 module core hashes with (CommonJS: the same exports object core imports).
const argon2: { verify: (...args: unknown[]) => Promise<boolean> } = createRequire(
  new URL('../../../packages/core/package.json', import.meta.url),
)('argon2');

/** Counts argon2 password checks from now on (an unknown user's dummy check is one too). */
function countPasswordChecks() {
  const verify = vi.spyOn(argon2, 'verify');
  return () => {
    const n = verify.mock.calls.length;
    verify.mockRestore();
    return n;
  };
}

const login = (app: TestApp, username: string, password = 'wrong-password') =>
  app.server.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

describe.each(DIALECTS)('sign-in throttle under a burst (%s)', (dialect) => {
  let app: TestApp;
  let replica: TestApp;
  beforeAll(async () => {
    // The default limits: 5 a minute per user name, 20 per client IP.
    app = await startTestApp(dialect, { version: 'v2.20.0', env: AUTH_ENV });
    replica = await startTestApp(dialect, { version: 'v2.20.0', env: AUTH_ENV, replicaOf: app });
  });
  afterAll(async () => {
    await replica.cleanup();
    await app.cleanup();
  });

  it('checks the password of at most 5 of 1,000 concurrent attempts for one user from one IP', async () => {
    // A first sign-in replaces alice's Meltano (bcrypt) hash with an argon2 one, and clears her count.
    expect((await login(app, 'alice', 'S3cret-pass')).statusCode).toBe(200);
    const checks = countPasswordChecks();
    const answers = await Promise.all(Array.from({ length: 1000 }, () => login(app, 'alice')));
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(995);
    expect(checks()).toBe(5);
    const limited = answers.find((a) => a.statusCode === 429);
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited?.json()).toMatchObject({ code: 'too_many_attempts' });
    // The right password does not get past the limit either.
    expect((await login(app, 'alice', 'S3cret-pass')).statusCode).toBe(429);
  });

  it('shares the counter between two servers on one system database', async () => {
    const checks = countPasswordChecks();
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => login(i % 2 === 0 ? app : replica, 'mallory')),
    );
    expect(answers.filter((a) => a.statusCode === 401)).toHaveLength(5);
    expect(answers.filter((a) => a.statusCode === 429)).toHaveLength(195);
    expect(checks()).toBe(5);
  });
});
