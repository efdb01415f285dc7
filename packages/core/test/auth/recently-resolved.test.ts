import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthService } from '../../src/auth/auth-service.js';
import { DIALECTS } from '../support/backends.js';
import { type AuthBackends, prepareAuthBackends } from './auth-backends.js';

// A session or API token checked in the last second is not looked up again (recently-resolved.ts),
// but every change made through the service ends it at once, and expiry is checked on every use.
const SALT = 'a-test-pepper-of-thirty-two-bytes!!';
const MIN = 60 * 1000;
const policy = { idleMs: 30 * MIN, absoluteMs: 120 * MIN, rotateAfterMs: 15 * MIN };

let backends: AuthBackends;
beforeAll(async () => {
  backends = await prepareAuthBackends();
});
afterAll(() => backends.cleanup());

async function setup(dialect: 'sqlite' | 'postgres') {
  const db = await backends.open(dialect, 'v4.2.2');
  const clock = { t: Date.parse('2026-11-21T10:00:00.000Z') };
  const auth = createAuthService({
    db,
    passwordSalt: SALT,
    sessionPolicy: policy,
    now: () => new Date(clock.t),
  });
  const user = await auth.users.create({ username: 'frank', password: 'frank-password', roles: ['regular'] });
  const signedIn = async () => {
    const { token } = await auth.createSession(user.id);
    expect((await auth.resolveSession(token))?.user.id).toBe(user.id);
    return token;
  };
  return { db, auth, user, clock, signedIn };
}

describe.each(DIALECTS)('sessions and tokens resolved a moment ago on %s', (dialect) => {
  it('answer from memory for a moment: a session row deleted behind the service still counts', async () => {
    const { db, auth, signedIn } = await setup(dialect);
    const token = await signedIn();
    // What another replica's sign-out looks like from here: the row is gone, this process was not told.
    await db.withKysely((k) => k.deleteFrom('ui_sessions').execute());
    expect(await auth.resolveSession(token)).not.toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await auth.resolveSession(token)).toBeNull();
  });

  it('end at once on sign-out, a disabled account, new roles and a new password', async () => {
    const { auth, user, signedIn } = await setup(dialect);
    const out = await signedIn();
    await auth.logout(out);
    expect(await auth.resolveSession(out)).toBeNull();

    const roles = await signedIn();
    await auth.users.setRoles(user.id, ['viewer']);
    expect(await auth.resolveSession(roles)).toBeNull();

    const updated = await signedIn();
    await auth.users.update(user.id, { roles: ['admin'] });
    expect(await auth.resolveSession(updated)).toBeNull();

    const password = await signedIn();
    await auth.users.setPassword(user.id, 'another-password');
    expect(await auth.resolveSession(password)).toBeNull();

    const disabled = await signedIn();
    await auth.users.setActive(user.id, false);
    expect(await auth.resolveSession(disabled)).toBeNull();
  });

  it('still expire on time', async () => {
    const { auth, clock, signedIn } = await setup(dialect);
    const token = await signedIn();
    clock.t += 121 * MIN;
    expect(await auth.resolveSession(token, {}, false)).toBeNull();
  });

  it('end an API token at once when it is revoked or its owner disabled', async () => {
    const { auth, user } = await setup(dialect);
    const created = await auth.createApiToken(user.id, 'script');
    expect((await auth.resolveApiToken(created.token))?.user.id).toBe(user.id);
    expect(await auth.revokeApiToken(user.id, created.apiToken.id)).toBe(true);
    expect(await auth.resolveApiToken(created.token)).toBeNull();

    const other = await auth.createApiToken(user.id, 'other');
    expect(await auth.resolveApiToken(other.token)).not.toBeNull();
    await auth.users.setActive(user.id, false);
    expect(await auth.resolveApiToken(other.token)).toBeNull();
  });
});
