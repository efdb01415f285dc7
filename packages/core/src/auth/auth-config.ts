import { CoreError } from '../errors.js';
import {
  MELTANO_DEFAULT_PASSWORD_SALT,
  MELTANO_DEFAULT_SECRET_KEY,
  type ResolvedSetting,
  readLegacyUiCfg,
  type UiSettingName,
  withLegacyUiCfg,
} from '../settings/ui-settings.js';
import { type OidcConfig, oidcConfigFrom } from './oidc-config.js';

/** Secrets of at least this many bytes (UTF-8) are accepted: 256 bits, what `meltano ui setup` makes. */
export const MIN_SECRET_BYTES = 32;

export class AuthSecretsError extends CoreError {
  constructor(problems: string[]) {
    super(
      'auth_secrets_invalid',
      500,
      `ui.authentication is on, but ${problems.join('; ')}. Run \`meltano ui setup <server name>\` to generate ` +
        'ui.secret_key and ui.password_salt (or set MELTANO_UI_SECRET_KEY and MELTANO_UI_PASSWORD_SALT).' +
        (problems.some((p) => p.startsWith('ui.password_salt is'))
          ? ' If that salt is the one of an old Meltano UI whose users you imported, keep it as ' +
            'MELTANO_UI_LEGACY_PASSWORD_SALT: it then only checks their old passwords, which are re-hashed at sign-in.'
          : ''),
      { problems },
    );
  }
}

function secretProblem(name: string, value: string | null, meltanoDefault: string): string | null {
  if (value === null || value === '') return `${name} is not set`;
  if (value === meltanoDefault) return `${name} is Meltano's published default`;
  if (Buffer.byteLength(value, 'utf8') < MIN_SECRET_BYTES) {
    return `${name} is shorter than ${MIN_SECRET_BYTES} bytes`;
  }
  return null;
}

/** With authentication on, refuses a missing, short or publicly known secret key or password salt. */
export function validateAuthSecrets(input: {
  authentication: boolean;
  secretKey: string | null;
  passwordSalt: string | null;
}): void {
  if (!input.authentication) return;
  const problems = [
    secretProblem('ui.secret_key', input.secretKey, MELTANO_DEFAULT_SECRET_KEY),
    secretProblem('ui.password_salt', input.passwordSalt, MELTANO_DEFAULT_PASSWORD_SALT),
  ].filter((p): p is string => p !== null);
  if (problems.length > 0) throw new AuthSecretsError(problems);
}

/** `meltano/`, `/meltano` or `/meltano/` → `/meltano`; `` or `/` → ``. Refuses anything but a plain path. */
export function normaliseBasePath(value: string | null): string {
  const trimmed = (value ?? '').trim().replace(/^\/+|\/+$/g, '');
  if (trimmed === '') return '';
  if (
    !/^[A-Za-z0-9._~-]+(\/[A-Za-z0-9._~-]+)*$/.test(trimmed) ||
    trimmed.split('/').some((s) => /^\.+$/.test(s))
  ) {
    throw new CoreError(
      'invalid_base_path',
      500,
      `ui.base_path must be a URL path like /meltano (letters, digits, . _ ~ - and /), got '${value}'`,
    );
  }
  return `/${trimmed}`;
}

/** What the server needs to sign cookies, hash passwords and trust proxies; secrets kept apart. */
export interface AuthConfig {
  authentication: boolean;
  serverName: string | null;
  sessionCookieDomain: string | null;
  sessionCookieSecure: boolean;
  forwardedAllowIps: string[];
  /** ui.trust_forwarded_host: X-Forwarded-Host from a trusted proxy replaces Host. */
  trustForwardedHost: boolean;
  /** ui.allowed_hosts, lower-cased; `*` allows any Host. Used only without ui.server_name. */
  allowedHosts: string[];
  /** ui.api_docs: serve the OpenAPI document and docs page. */
  apiDocs: boolean;
  basePath: string;
  /** Single sign-on with an OpenID Provider (ui.oidc.*); null when off. */
  oidc: OidcConfig | null;
  secrets: { secretKey: string; passwordSalt: string; legacyPasswordSalt: string | null };
}

function text(setting: ResolvedSetting): string | null {
  return typeof setting.value === 'string' && setting.value !== '' ? setting.value : null;
}

function commaList(setting: ResolvedSetting): string[] {
  return String(setting.value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * Derives the auth configuration once, at boot: the legacy ui.cfg fallback, then validation (throws
 * AuthSecretsError when authentication is on and the secrets are unfit).
 */
export async function loadAuthConfig(input: {
  root: string;
  settings: Record<UiSettingName, ResolvedSetting>;
}): Promise<AuthConfig> {
  const settings = withLegacyUiCfg(input.settings, await readLegacyUiCfg(input.root));
  const authentication = settings['ui.authentication'].value === true;
  const secretKey = text(settings['ui.secret_key']);
  const passwordSalt = text(settings['ui.password_salt']);
  validateAuthSecrets({ authentication, secretKey, passwordSalt });
  return {
    authentication,
    serverName: text(settings['ui.server_name']),
    sessionCookieDomain: text(settings['ui.session_cookie_domain']),
    sessionCookieSecure: settings['ui.session_cookie_secure'].value === true,
    forwardedAllowIps: commaList(settings['ui.forwarded_allow_ips']),
    trustForwardedHost: settings['ui.trust_forwarded_host'].value === true,
    allowedHosts: commaList(settings['ui.allowed_hosts']).map((h) => h.toLowerCase()),
    apiDocs: settings['ui.api_docs'].value !== false,
    basePath: normaliseBasePath(text(settings['ui.base_path'])),
    oidc: oidcConfigFrom(settings, authentication),
    // With authentication off nothing is signed or checked; Meltano's defaults keep `user add` working.
    secrets: {
      secretKey: secretKey ?? MELTANO_DEFAULT_SECRET_KEY,
      passwordSalt: passwordSalt ?? MELTANO_DEFAULT_PASSWORD_SALT,
      legacyPasswordSalt: text(settings['ui.legacy_password_salt']),
    },
  };
}
