import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe: what goes into a cookie or an API token. */
export function randomToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/** What is stored instead of a token: lookups by hash need no constant-time compare. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
