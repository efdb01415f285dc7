import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthService } from '../../src/auth/auth-service.js';
import { uiTables } from '../../src/ui-db/migrate-ui-tables.js';
import { DIALECTS } from '../support/backends.js';
import { type AuthBackends, prepareAuthBackends } from './auth-backends.js';

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
  const now = () => new Date(clock.t);
  const auth = createAuthService({ db, passwordSalt: SALT, sessionPolicy: policy, now });
  const user = await auth.users.create({ username: 'frank', password: 'frank-password', roles: ['regular'] });
  const sessionRows = () =>
    uiTables(db).with((k) => k.selectFrom('ui_sessions').selectAll().execute()) as Promise<
      { id: string; user_id: string }[]
    >;
  return { auth, user, clock, sessionRows };
}

describe.each(DIALECTS)('sessions on %s', (dialect) => {
  it('stores only a hash of the token and resolves it to the user', async () => {
    const { auth, user, sessionRows } = await setup(dialect);
    const { token, session } = await auth.createSession(user.id, { ip: '10.0.0.1', userAgent: 'test' });
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const rows = await sessionRows();
    expect(rows.map((r) => r.id)).toEqual([session.id]);
    expect(rows[0]?.id).not.toContain(token);
    const resolved = await auth.resolveSession(token);
    expect(resolved?.user.username).toBe('frank');
    expect(resolved?.session.ip).toBe('10.0.0.1');
    expect(resolved?.rotated).toBeNull();
    expect(await auth.resolveSession(`${token}x`)).toBeNull();
  });

  it('expires after the idle time, and activity pushes the idle expiry forward', async () => {
    const { auth, user, clock, sessionRows } = await setup(dialect);
    const { token } = await auth.createSession(user.id);
    clock.t += 10 * MIN;
    expect((await auth.resolveSession(token))?.session.expires_at).toBe('2026-11-21T10:40:00.000Z');
    clock.t += 29 * MIN; // 39 min after creation, 29 after last activity
    const later = await auth.resolveSession(token);
    // Due for rotation by now: the new token carries the session on.
    const next = later?.rotated?.token ?? '';
    expect(later?.session.expires_at).toBe('2026-11-21T11:09:00.000Z');
    clock.t += 31 * MIN;
    expect(await auth.resolveSession(next)).toBeNull();
    // The rotated-out id expired long ago too; the periodic purge removes it.
    await auth.purgeExpired();
    expect(await sessionRows()).toEqual([]);
  });

  it('rotates the id when due, keeps the absolute expiry, and the old token stops after a grace minute', async () => {
    const { auth, user, clock } = await setup(dialect);
    const first = await auth.createSession(user.id);
    clock.t += 16 * MIN;
    const resolved = await auth.resolveSession(first.token);
    const rotated = resolved?.rotated;
    expect(rotated?.token).toBeDefined();
    expect(rotated?.token).not.toBe(first.token);
    expect(rotated?.session.absolute_expires_at).toBe(first.session.absolute_expires_at);
    // Requests sent before the browser had the new cookie still pass, without rotating again.
    const inFlight = await auth.resolveSession(first.token);
    expect(inFlight?.user.id).toBe(user.id);
    expect(inFlight?.rotated).toBeNull();
    clock.t += 61 * 1000;
    expect(await auth.resolveSession(first.token)).toBeNull();
    expect((await auth.resolveSession(rotated?.token ?? ''))?.user.id).toBe(user.id);
  });

  it('ends at the absolute expiry however active the user is', async () => {
    const { auth, user, clock } = await setup(dialect);
    let { token } = await auth.createSession(user.id);
    for (let i = 0; i < 8; i++) {
      clock.t += 14 * MIN;
      const r = await auth.resolveSession(token);
      expect(r).not.toBeNull();
      token = r?.rotated?.token ?? token;
    }
    clock.t += 14 * MIN; // 126 min > 120
    expect(await auth.resolveSession(token)).toBeNull();
  });

  it('logout destroys the session; a password change ends the other sessions', async () => {
    const { auth, user } = await setup(dialect);
    const a = await auth.createSession(user.id);
    const b = await auth.createSession(user.id);
    const c = await auth.createSession(user.id);
    await auth.logout(a.token);
    expect(await auth.resolveSession(a.token)).toBeNull();
    expect(await auth.changePassword(user.id, 'frank-password', 'frank-password-2', b.token)).toBe(true);
    expect((await auth.resolveSession(b.token))?.user.id).toBe(user.id);
    expect(await auth.resolveSession(c.token)).toBeNull();
  });

  it('a disabled or removed user has no session', async () => {
    const { auth, user } = await setup(dialect);
    const s = await auth.createSession(user.id);
    await auth.users.setActive(user.id, false);
    expect(await auth.resolveSession(s.token)).toBeNull();
    await auth.users.setActive(user.id, true);
    const t = await auth.createSession(user.id);
    await auth.users.remove(user.id);
    expect(await auth.resolveSession(t.token)).toBeNull();
  });
});

describe.each(DIALECTS)('API tokens on %s', (dialect) => {
  it('are shown once, stored hashed, resolve to their user, and stop working when revoked', async () => {
    const { auth, user, clock } = await setup(dialect);
    const { token, apiToken } = await auth.createApiToken(user.id, 'nightly script');
    expect(token).toMatch(/^mui_[A-Za-z0-9_-]{43}$/);
    expect(apiToken).toEqual({
      id: apiToken.id,
      user_id: user.id,
      name: 'nightly script',
      created_at: '2026-11-21T10:00:00.000Z',
      last_used_at: null,
      revoked_at: null,
    });
    clock.t += MIN;
    const resolved = await auth.resolveApiToken(token);
    expect(resolved?.user.username).toBe('frank');
    expect(resolved?.apiToken.last_used_at).toBe('2026-11-21T10:01:00.000Z');
    expect(await auth.resolveApiToken('mui_not-a-token')).toBeNull();
    expect(await auth.resolveApiToken(token.slice(4))).toBeNull();

    const listed = await auth.listApiTokens(user.id);
    expect(listed.map((t) => [t.name, t.last_used_at])).toEqual([
      ['nightly script', '2026-11-21T10:01:00.000Z'],
    ]);
    expect(JSON.stringify(listed)).not.toContain(token.slice(4));

    expect(await auth.revokeApiToken('someone-else', apiToken.id)).toBe(false);
    expect(await auth.revokeApiToken(user.id, apiToken.id)).toBe(true);
    expect(await auth.revokeApiToken(user.id, apiToken.id)).toBe(false);
    expect(await auth.resolveApiToken(token)).toBeNull();
  });
});
