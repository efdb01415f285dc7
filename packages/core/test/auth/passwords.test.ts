import argon2 from 'argon2';
import { describe, expect, it } from 'vitest';
import { createPasswordHasher, meltanoPreHash } from '../../src/auth/passwords.js';
import { readOutput } from '../support/fixtures.js';

const SALT = 'fixture-salt-7f3a9c';

describe('password hashes', () => {
  it('are argon2id at 19 MiB, 2 passes, 1 lane, and need the pepper to verify', async () => {
    const hasher = createPasswordHasher(SALT);
    const hash = await hasher.hash('S3cret-pass');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(await hasher.verify('S3cret-pass', hash)).toEqual({ valid: true, needsRehash: false });
    expect(await hasher.verify('S3cret-pasS', hash)).toEqual({ valid: false, needsRehash: false });
    expect(await createPasswordHasher('another-pepper').verify('S3cret-pass', hash)).toEqual({
      valid: false,
      needsRehash: false,
    });
    expect(await argon2.verify(hash, 'S3cret-pass')).toBe(false);
    expect(await hasher.hash('S3cret-pass')).not.toBe(hash);
  });

  it("verify Meltano's bcrypt hashes of the fixture and ask for a re-hash", async () => {
    const users = await readOutput<{ username: string; password: string }[]>('v2.20.0', 'table-user.json');
    const hasher = createPasswordHasher(SALT);
    const alice = users.find((u) => u.username === 'alice')?.password ?? '';
    expect(alice).toMatch(/^\$2b\$12\$/);
    expect(await hasher.verify('S3cret-pass', alice)).toEqual({ valid: true, needsRehash: true });
    expect(await hasher.verify('other-pass', alice)).toEqual({ valid: false, needsRehash: false });
    expect(
      await createPasswordHasher('b4c124932584ad6e69f2774a0ae5c138').verify('S3cret-pass', alice),
    ).toEqual({
      valid: false,
      needsRehash: false,
    });
  });

  it("pre-hash Meltano's way: base64 of HMAC-SHA512 keyed by the salt (88 characters)", () => {
    const pre = meltanoPreHash('S3cret-pass', SALT);
    expect(pre).toHaveLength(88);
    expect(pre).toBe(meltanoPreHash('S3cret-pass', SALT));
    expect(pre).not.toBe(meltanoPreHash('S3cret-pass', `${SALT}x`));
  });

  it('ask for a re-hash of weaker argon2 parameters and reject what they cannot read', async () => {
    const hasher = createPasswordHasher(SALT);
    const weak = await argon2.hash('pw-123456', {
      type: argon2.argon2id,
      memoryCost: 4096,
      timeCost: 1,
      parallelism: 1,
      secret: Buffer.from(SALT),
    });
    expect(await hasher.verify('pw-123456', weak)).toEqual({ valid: true, needsRehash: true });
    const argon2i = await argon2.hash('pw-123456', { type: argon2.argon2i, secret: Buffer.from(SALT) });
    expect(await hasher.verify('pw-123456', argon2i)).toEqual({ valid: true, needsRehash: true });
    for (const stored of [null, '', 'pw-123456', '$argon2id$garbage', '$pbkdf2-sha256$29000$x$y']) {
      expect(await hasher.verify('pw-123456', stored)).toEqual({ valid: false, needsRehash: false });
    }
    await expect(hasher.verifyDummy('anything')).resolves.toBeUndefined();
  });
});
