import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthService } from '../../src/auth/auth-service.js';
import { MELTANO_DEFAULT_PASSWORD_SALT } from '../../src/settings/ui-settings.js';
import { uiTables } from '../../src/ui-db/migrate-ui-tables.js';
import { DIALECTS } from '../support/backends.js';
import { readOutput } from '../support/fixtures.js';
import { type AuthBackends, prepareAuthBackends } from './auth-backends.js';

const SALT = 'fixture-salt-7f3a9c';

let backends: AuthBackends;
beforeAll(async () => {
  backends = await prepareAuthBackends();
});
afterAll(() => backends.cleanup());

async function storedHash(
  db: Awaited<ReturnType<AuthBackends['open']>>,
  username: string,
): Promise<string | null> {
  const row = await uiTables(db).with((k) =>
    k.selectFrom('ui_users').select('password_hash').where('username', '=', username).executeTakeFirst(),
  );
  return (row as { password_hash: string | null } | undefined)?.password_hash ?? null;
}

describe.each(DIALECTS)('Meltano v2.20.0 users on %s', (dialect) => {
  it('imports alice and bob with their roles and Meltano hashes, marked as imported', async () => {
    const db = await backends.open(dialect, 'v2.20.0');
    const auth = createAuthService({ db, passwordSalt: SALT });
    const dumped = await readOutput<{ id: number; username: string; password: string }[]>(
      'v2.20.0',
      'table-user.json',
    );
    const users = await auth.users.list();
    expect(users.map((u) => [u.username, u.roles, u.active, u.imported_from_meltano_id])).toEqual([
      ['alice', ['admin'], true, 1],
      ['bob', [], true, 2],
    ]);
    for (const d of dumped) expect(await storedHash(db, d.username)).toBe(d.password);
    expect((await auth.users.roles()).map((r) => r.name)).toEqual(['admin', 'regular', 'viewer']);
  });

  it('alice and bob sign in with their passwords and are re-hashed to argon2id', async () => {
    const db = await backends.open(dialect, 'v2.20.0');
    const auth = createAuthService({ db, passwordSalt: SALT });

    const alice = await auth.login('alice', 'S3cret-pass');
    expect(alice?.username).toBe('alice');
    expect(alice?.roles).toEqual(['admin']);
    expect(alice?.login_count).toBe(1);
    expect(alice?.last_login_at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await storedHash(db, 'alice')).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);

    // Case-insensitive, as Meltano's get_user; and again with the new hash.
    const bob = await auth.login('BOB', 'other-pass');
    expect(bob?.username).toBe('bob');
    expect(await storedHash(db, 'bob')).toMatch(/^\$argon2id\$/);
    expect((await auth.login('alice', 'S3cret-pass'))?.login_count).toBe(2);
  });

  it('keep signing in after moving to a strong salt, with the old one as ui.legacy_password_salt', async () => {
    const db = await backends.open(dialect, 'v2.20.0');
    const strong = 'e'.repeat(64);
    const migrating = createAuthService({ db, passwordSalt: strong, legacyPasswordSalt: SALT });
    expect((await migrating.login('alice', 'S3cret-pass'))?.username).toBe('alice');
    // Re-hashed with the new pepper: the legacy salt is no longer needed for alice.
    const after = createAuthService({ db, passwordSalt: strong });
    expect((await after.login('alice', 'S3cret-pass'))?.username).toBe('alice');
    // bob has not signed in since: his Meltano hash still needs the old salt.
    expect(await after.login('bob', 'other-pass')).toBeNull();
    expect((await migrating.login('bob', 'other-pass'))?.username).toBe('bob');
  });

  it('wrong passwords and unknown users get the same answer', async () => {
    const db = await backends.open(dialect, 'v2.20.0');
    const auth = createAuthService({ db, passwordSalt: SALT });
    const aliceHash = await (async () => {
      await auth.ready();
      return storedHash(db, 'alice');
    })();
    expect(await auth.login('alice', 'other-pass')).toBeNull();
    expect(await auth.login('alice', 's3cret-pass')).toBeNull();
    expect(await auth.login('carol', 'S3cret-pass')).toBeNull();
    expect(await auth.login('', '')).toBeNull();
    // A failed attempt changes nothing.
    expect(await storedHash(db, 'alice')).toBe(aliceHash);
    expect((await auth.users.find('alice'))?.login_count).toBe(0);
  });

  it("Meltano's hashes do not verify with another salt (the salt is the HMAC key)", async () => {
    const db = await backends.open(dialect, 'v2.20.0');
    const auth = createAuthService({ db, passwordSalt: MELTANO_DEFAULT_PASSWORD_SALT });
    expect(await auth.login('alice', 'S3cret-pass')).toBeNull();
  });

  it('imports once per database: a removed user does not come back', async () => {
    const db = await backends.open(dialect, 'v2.20.0');
    const first = createAuthService({ db, passwordSalt: SALT });
    const bob = await first.users.find('bob');
    expect(bob).not.toBeNull();
    expect(await first.users.remove(bob?.id ?? '')).toBe(true);
    const second = createAuthService({ db, passwordSalt: SALT });
    expect((await second.users.list()).map((u) => u.username)).toEqual(['alice']);
  });

  it('a disabled account cannot sign in', async () => {
    const db = await backends.open(dialect, 'v2.20.0');
    const auth = createAuthService({ db, passwordSalt: SALT });
    const alice = await auth.users.find('alice');
    await auth.users.setActive(alice?.id ?? '', false);
    expect(await auth.login('alice', 'S3cret-pass')).toBeNull();
  });
});

describe.each(DIALECTS)('users on a v4.2.2 database (%s)', (dialect) => {
  it('has no users to import; created users sign in by name or email', async () => {
    const db = await backends.open(dialect, 'v4.2.2');
    const auth = createAuthService({ db, passwordSalt: SALT });
    expect(await auth.users.list()).toEqual([]);
    const carol = await auth.users.create({
      username: 'carol',
      email: 'Carol@Example.com',
      password: 'correct horse',
      roles: ['viewer'],
    });
    expect(carol.roles).toEqual(['viewer']);
    expect((await auth.login('carol@example.com', 'correct horse'))?.id).toBe(carol.id);
    expect(await auth.login('carol', 'correct horsE')).toBeNull();
    await expect(auth.users.create({ username: 'CAROL', password: 'whatever-pass' })).rejects.toMatchObject({
      code: 'user_exists',
    });
    await expect(
      auth.users.create({ username: 'dave', password: 'whatever-pass', roles: ['root'] }),
    ).rejects.toMatchObject({ code: 'invalid_input', message: "Role 'root' does not exist." });
    expect((await auth.users.list()).map((u) => u.username)).toEqual(['carol']);
  });

  it('setPassword replaces the hash; changePassword checks the current one', async () => {
    const db = await backends.open(dialect, 'v4.2.2');
    const auth = createAuthService({ db, passwordSalt: SALT });
    const user = await auth.users.create({ username: 'erin', password: 'first-password' });
    await auth.users.setPassword(user.id, 'second-password');
    expect(await auth.login('erin', 'first-password')).toBeNull();
    expect((await auth.login('erin', 'second-password'))?.id).toBe(user.id);
    expect(await auth.changePassword(user.id, 'wrong-password', 'third-password')).toBe(false);
    expect(await auth.changePassword(user.id, 'second-password', 'third-password')).toBe(true);
    expect((await auth.login('erin', 'third-password'))?.id).toBe(user.id);
    await expect(auth.users.setPassword(user.id, 'short')).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
