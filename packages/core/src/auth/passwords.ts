import { createHmac, randomBytes } from 'node:crypto';
import argon2 from 'argon2';
import bcrypt from 'bcryptjs';

/**
 * Password hashing. New hashes are argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane), 16-byte
 * random salt, 32-byte tag, stored as the PHC string so the parameters can be raised later.
 *
 * Pepper: `ui.password_salt` is passed as argon2's `secret` input (the "K" of RFC 9106), so it is
 * mixed into the hash but never stored in the database: a stolen DB alone cannot be cracked offline.
 * As with Meltano, changing ui.password_salt invalidates every password.
 *
 * Meltano's hashes (Flask-Security 3 "double hash": `$2b$12$` bcrypt over
 * base64(HMAC-SHA512(key = salt, msg = password))) still verify and are reported as needing a re-hash.
 */
export const ARGON2_POLICY = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
const ARGON2_OPTIONS = { type: argon2.argon2id, ...ARGON2_POLICY, hashLength: 32 } as const;

// Each argon2 call takes 19 MiB: bound how many run at once so a login flood cannot exhaust memory.
const MAX_CONCURRENT_HASHES = 4;
let running = 0;
const waiting: (() => void)[] = [];

async function bounded<T>(fn: () => Promise<T>): Promise<T> {
  if (running >= MAX_CONCURRENT_HASHES) await new Promise<void>((resolve) => waiting.push(resolve));
  running++;
  try {
    return await fn();
  } finally {
    running--;
    waiting.shift()?.();
  }
}

export interface PasswordCheck {
  valid: boolean;
  /** The hash is Meltano's (bcrypt) or argon2 below the current policy: store a fresh one. */
  needsRehash: boolean;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** Constant-time; false for a null/unknown hash format. */
  verify(password: string, stored: string | null): Promise<PasswordCheck>;
  /** The same work as verify() for a user that does not exist, so both cost about the same. */
  verifyDummy(password: string): Promise<void>;
}

const LEGACY_BCRYPT = /^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/;

/** Meltano's pre-hash: base64(HMAC-SHA512(key = salt, msg = password)), both UTF-8. */
export function meltanoPreHash(password: string, salt: string): string {
  return createHmac('sha512', Buffer.from(salt, 'utf8')).update(password, 'utf8').digest('base64');
}

/**
 * `legacySalt` (ui.legacy_password_salt) checks Meltano's bcrypt hashes when Meltano's salt was too
 * weak to keep as the pepper; without it, ui.password_salt is Meltano's salt too.
 */
export function createPasswordHasher(passwordSalt: string, legacySalt: string | null = null): PasswordHasher {
  const secret = Buffer.from(passwordSalt, 'utf8');
  let dummy: Promise<string> | null = null;

  const hash = (password: string) => bounded(() => argon2.hash(password, { ...ARGON2_OPTIONS, secret }));
  const verifyArgon = (password: string, stored: string) =>
    bounded(() => argon2.verify(stored, password, { secret }));

  return {
    hash,

    async verify(password, stored) {
      if (stored === null || stored === '') return { valid: false, needsRehash: false };
      if (stored.startsWith('$argon2')) {
        let valid: boolean;
        try {
          valid = await verifyArgon(password, stored);
        } catch {
          // A malformed PHC string is not a valid password.
          return { valid: false, needsRehash: false };
        }
        return {
          valid,
          needsRehash:
            valid && (!stored.startsWith('$argon2id$') || argon2.needsRehash(stored, ARGON2_POLICY)),
        };
      }
      if (LEGACY_BCRYPT.test(stored)) {
        // bcryptjs compares the digests in constant time; it reads the first 72 bytes, as passlib does.
        const valid = await bcrypt.compare(meltanoPreHash(password, legacySalt ?? passwordSalt), stored);
        return { valid, needsRehash: valid };
      }
      return { valid: false, needsRehash: false };
    },

    async verifyDummy(password) {
      dummy ??= hash(randomBytes(16).toString('hex'));
      await verifyArgon(password, await dummy);
    },
  };
}
