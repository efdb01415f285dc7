/** The literal Meltano prints in place of a secret value. */
export const REDACTED = '(redacted)';

const SECRET_NAME = /(pass(word|wd)?|secret|token|private[_-]?key|api[_-]?key|credential|auth)/i;

/** Masks the password of `scheme://user:password@host` URIs wherever they appear in a string. */
export function maskUriPasswords(value: string): string {
  return value.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s/]+)(@)/gi, `$1${REDACTED}$3`);
}

/** True for env var or setting names that by convention hold secrets (API_KEY, DB_PASSWORD, ...). */
export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}

/**
 * Redacts an `env:` map: values of secret-looking names are hidden, and any URI password is masked.
 * A `$VAR` reference is not a secret itself, so it is shown as written.
 */
export function redactEnvMap(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const isReference = /^\$\{?[A-Za-z_]\w*\}?$/.test(value.trim());
    out[key] = looksSecret(key) && !isReference && value !== '' ? REDACTED : maskUriPasswords(value);
  }
  return out;
}

/**
 * Redacts a config object: `secretPaths` are dotted setting names known to be sensitive; every string
 * has its URI passwords masked.
 */
export function redactConfig(
  config: Record<string, unknown>,
  secretPaths: Set<string>,
  prefix = '',
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    const dotted = prefix === '' ? key : `${prefix}.${key}`;
    if (secretPaths.has(dotted) && value !== null && value !== '') {
      out[key] = REDACTED;
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      out[key] = redactConfig(value as Record<string, unknown>, secretPaths, dotted);
    } else if (typeof value === 'string') {
      out[key] = maskUriPasswords(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}
