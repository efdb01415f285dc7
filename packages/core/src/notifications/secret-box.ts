import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Channel secrets at rest: AES-256-GCM under a key derived (HKDF-SHA256) from ui.secret_key, with the
 * channel id as associated data so a ciphertext cannot be moved to another channel. Anyone with the
 * database and ui.secret_key can read them (the server must), nobody with the database alone; with
 * Meltano's published default secret key this is obfuscation only, which is why the README asks for
 * `meltano ui setup`. A changed ui.secret_key makes them unreadable: they must be entered again.
 */
export interface SecretBox {
  seal(plain: Record<string, string>, channelId: string): string;
  /** Null when the text was sealed under another key (or is not ours). */
  open(sealed: string, channelId: string): Record<string, string> | null;
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export function createSecretBox(secretKey: string): SecretBox {
  const key = Buffer.from(
    hkdfSync('sha256', Buffer.from(secretKey, 'utf8'), 'meltano-ui', 'notification-channel-secrets', 32),
  );
  return {
    seal(plain, channelId) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(channelId, 'utf8'));
      const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
      return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
    },
    open(sealed, channelId) {
      const [version, data] = sealed.split(':', 2);
      if (version !== VERSION || data === undefined) return null;
      const raw = Buffer.from(data, 'base64url');
      if (raw.length < IV_BYTES + TAG_BYTES) return null;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(channelId, 'utf8'));
        decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        const text = Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
        const parsed: unknown = JSON.parse(text.toString('utf8'));
        if (typeof parsed !== 'object' || parsed === null) return null;
        return Object.fromEntries(
          Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
        );
      } catch {
        return null;
      }
    },
  };
}
