import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthService } from '../../src/auth/auth-service.js';
import { ConflictError } from '../../src/errors.js';
import { DIALECTS } from '../support/backends.js';
import { type AuthBackends, prepareAuthBackends } from './auth-backends.js';

const SALT = 'fixture-salt-7f3a9c';

let backends: AuthBackends;
beforeAll(async () => {
  backends = await prepareAuthBackends();
});
afterAll(() => backends.cleanup());

type Service = ReturnType<typeof createAuthService>;

async function settle(changes: Promise<unknown>[]) {
  const results = await Promise.allSettled(changes);
  const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
  return { passed: results.filter((r) => r.status === 'fulfilled').length, refused };
}

describe.each(DIALECTS)('keepAnAdmin on %s', (dialect) => {
  // On SQLite one handle stands for one process (its writes queue on the connection); on PostgreSQL
  // a second handle is a second pool, as another replica has.
  async function twoAdmins(): Promise<{ one: Service; other: Service; alice: string; carol: string }> {
    const db = await backends.open(dialect, 'v2.20.0');
    const one = createAuthService({ db, passwordSalt: SALT });
    const other =
      dialect === 'postgres' ? createAuthService({ db: backends.reopen(db), passwordSalt: SALT }) : one;
    const carol = await one.users.create({ username: 'carol', password: 'carol-password', roles: ['admin'] });
    const alice = (await one.users.find('alice'))?.id ?? '';
    await other.ready();
    return { one, other, alice, carol: carol.id };
  }

  const activeAdmins = async (auth: Service) =>
    (await auth.users.list()).filter((u) => u.active && u.roles.includes('admin')).map((u) => u.username);

  it.each([
    ['demoting', { roles: [] }],
    ['disabling', { active: false }],
  ])(
    'two admins %s each other at once: one passes, the other is refused with last_admin',
    async (_n, change) => {
      const { one, other, alice, carol } = await twoAdmins();
      const { passed, refused } = await settle([
        one.users.update(carol, change, { keepAnAdmin: true }),
        other.users.update(alice, change, { keepAnAdmin: true }),
      ]);
      expect(passed).toBe(1);
      expect(refused).toHaveLength(1);
      expect(refused[0]).toBeInstanceOf(ConflictError);
      expect((refused[0] as ConflictError).code).toBe('last_admin');
      expect(await activeAdmins(one)).toHaveLength(1);
    },
  );

  it('two admins removing each other at once: one passes, the other is refused', async () => {
    const { one, other, alice, carol } = await twoAdmins();
    const { passed, refused } = await settle([
      one.users.remove(carol, { keepAnAdmin: true }),
      other.users.remove(alice, { keepAnAdmin: true }),
    ]);
    expect(passed).toBe(1);
    expect((refused[0] as ConflictError).code).toBe('last_admin');
    expect(await activeAdmins(one)).toHaveLength(1);
  });

  it('a refused change leaves everything as it was (roles and sessions)', async () => {
    const { one, alice, carol } = await twoAdmins();
    await one.users.remove(carol, { keepAnAdmin: true });
    const session = await one.createSession(alice);
    await expect(one.users.update(alice, { roles: ['viewer'] }, { keepAnAdmin: true })).rejects.toThrow(
      ConflictError,
    );
    expect((await one.users.findById(alice))?.roles).toEqual(['admin']);
    expect(await one.resolveSession(session.token)).not.toBeNull();
  });
});
