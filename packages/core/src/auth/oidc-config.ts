import { isIP } from 'node:net';
import { CoreError } from '../errors.js';
import type { ResolvedSetting, UiSettingName } from '../settings/ui-settings.js';

/** The roles a group can map onto, highest first. */
export const OIDC_ROLES = ['admin', 'regular', 'viewer'] as const;
export type OidcRole = (typeof OIDC_ROLES)[number];

/** The issuer `ui.oauth_enabled` with `oauth.gitlab.*` stands for (the old UI signed in with gitlab.com). */
export const GITLAB_ISSUER = 'https://gitlab.com';

/** Single sign-on with an OpenID Provider: the ui.oidc.* settings, checked. */
export interface OidcConfig {
  /** As configured, without a trailing slash (discovery appends /.well-known/openid-configuration). */
  issuer: string;
  clientId: string;
  clientSecret: string | null;
  /** Always includes `openid`. */
  scopes: string[];
  buttonLabel: string;
  /** A claim name, or a dotted path into nested claims (`realm_access.roles`). */
  groupsClaim: string;
  /** Group → role; the highest role of the user's mapped groups wins. */
  roleMap: Record<string, OidcRole>;
  /** The role of a user with no mapped group; null refuses them. */
  defaultRole: OidcRole | null;
  /** Lower-case email domains (or Google `hd` values) allowed to sign in; empty allows any. */
  allowedDomains: string[];
  /** Password sign-in is refused on the web (the CLI still manages users). */
  only: boolean;
  /** Set when the deprecated ui.oauth_enabled/oauth.gitlab.* settings were mapped onto these. */
  deprecatedGitlab: boolean;
}

export class OidcConfigError extends CoreError {
  constructor(message: string) {
    super('oidc_config_invalid', 500, `Single sign-on is misconfigured: ${message}`);
  }
}

/** localhost, *.localhost, 127.0.0.0/8 and ::1: the only hosts an http:// issuer may have. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  if (isIP(host) === 6) return host === '::1' || host === '0:0:0:0:0:0:0:1';
  return false;
}

function text(setting: ResolvedSetting | undefined): string | null {
  return typeof setting?.value === 'string' && setting.value.trim() !== '' ? setting.value.trim() : null;
}

function role(value: unknown, where: string): OidcRole {
  if (typeof value === 'string' && (OIDC_ROLES as readonly string[]).includes(value.trim().toLowerCase())) {
    return value.trim().toLowerCase() as OidcRole;
  }
  throw new OidcConfigError(`${where} must be admin, regular or viewer, got ${JSON.stringify(value)}`);
}

function checkIssuer(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new OidcConfigError(`ui.oidc.issuer must be a URL, got '${value}'`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new OidcConfigError(`ui.oidc.issuer must be an https URL, got '${value}'`);
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    throw new OidcConfigError(
      `ui.oidc.issuer must use https (http is accepted only on a loopback address), got '${value}'`,
    );
  }
  if (url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    throw new OidcConfigError(`ui.oidc.issuer must be a plain URL (no query, fragment or credentials)`);
  }
  return value.replace(/\/+$/, '');
}

function parseRoleMap(value: string | null): Record<string, OidcRole> {
  if (value === null) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new OidcConfigError(
      'ui.oidc.role_map (MELTANO_UI_OIDC_ROLE_MAP) must be a JSON object like {"meltano-admins": "admin"}',
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new OidcConfigError('ui.oidc.role_map must be a JSON object of group name to role');
  }
  const out: Record<string, OidcRole> = Object.create(null);
  for (const [group, r] of Object.entries(parsed)) out[group] = role(r, `ui.oidc.role_map["${group}"]`);
  return out;
}

/**
 * The single sign-on configuration, or null when it is off (no issuer, or ui.authentication off).
 * The deprecated `ui.oauth_enabled` + `oauth.gitlab.client_id/client_secret` stand for the GitLab
 * issuer when ui.oidc.issuer is unset. Throws OidcConfigError for values that cannot work.
 */
export function oidcConfigFrom(
  settings: Record<UiSettingName, ResolvedSetting>,
  authentication: boolean,
): OidcConfig | null {
  let issuer = text(settings['ui.oidc.issuer']);
  let clientId = text(settings['ui.oidc.client_id']);
  let clientSecret = text(settings['ui.oidc.client_secret']);
  let deprecatedGitlab = false;
  if (issuer === null && settings['ui.oauth_enabled'].value === true) {
    issuer = GITLAB_ISSUER;
    clientId ??= text(settings['oauth.gitlab.client_id']);
    clientSecret ??= text(settings['oauth.gitlab.client_secret']);
    deprecatedGitlab = true;
  }
  if (issuer === null || !authentication) return null;
  if (clientId === null) {
    throw new OidcConfigError(
      deprecatedGitlab
        ? 'ui.oauth_enabled is on but oauth.gitlab.client_id is not set (prefer ui.oidc.client_id)'
        : 'ui.oidc.issuer is set but ui.oidc.client_id (MELTANO_UI_OIDC_CLIENT_ID) is not',
    );
  }
  const scopes = String(settings['ui.oidc.scopes'].value ?? '')
    .split(/[\s,]+/)
    .filter((s) => s !== '');
  if (!scopes.includes('openid')) scopes.unshift('openid');
  const defaultRole = text(settings['ui.oidc.default_role']);
  return {
    issuer: checkIssuer(issuer),
    clientId,
    clientSecret,
    scopes,
    buttonLabel:
      deprecatedGitlab && settings['ui.oidc.button_label'].source === 'default'
        ? 'Sign in with GitLab'
        : (text(settings['ui.oidc.button_label']) ?? 'Sign in with single sign-on'),
    groupsClaim: text(settings['ui.oidc.groups_claim']) ?? 'groups',
    roleMap: parseRoleMap(text(settings['ui.oidc.role_map'])),
    defaultRole: defaultRole === null ? null : role(defaultRole, 'ui.oidc.default_role'),
    allowedDomains: String(settings['ui.oidc.allowed_domains'].value ?? '')
      .split(',')
      .map((d) => d.trim().toLowerCase().replace(/^@/, ''))
      .filter((d) => d !== ''),
    only: settings['ui.oidc.only'].value === true,
    deprecatedGitlab,
  };
}

/** The groups in `claims` at `path` (a name, or a dotted path): strings only; null when absent. */
export function groupsFrom(claims: Record<string, unknown>, path: string): string[] | null {
  let value: unknown = path in claims ? claims[path] : undefined;
  if (value === undefined) {
    value = claims;
    for (const part of path.split('.')) {
      value =
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
    }
  }
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') return [value];
  if (!Array.isArray(value)) return null;
  return value.filter((g): g is string => typeof g === 'string');
}

/**
 * The role the map gives `groups` (the highest), else the default role; null: refused. A group may
 * be given with or without a leading slash (Keycloak's full paths, `/meltano-admins`).
 */
export function roleForGroups(config: Pick<OidcConfig, 'roleMap' | 'defaultRole'>, groups: string[]) {
  const mapped = new Set<OidcRole>();
  for (const group of groups) {
    const r = Object.hasOwn(config.roleMap, group)
      ? config.roleMap[group]
      : Object.hasOwn(config.roleMap, group.replace(/^\//, ''))
        ? config.roleMap[group.replace(/^\//, '')]
        : undefined;
    if (r !== undefined) mapped.add(r);
  }
  for (const r of OIDC_ROLES) if (mapped.has(r)) return r;
  return config.defaultRole;
}
