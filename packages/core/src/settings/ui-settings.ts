import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidInputError } from '../errors.js';
import { parseDotenv } from '../project/dotenv.js';
import { expandEnvVars } from '../project/env-expand.js';

/**
 * The settings the UI reads, with Meltano's names and env vars. Resolution follows Meltano's
 * precedence for project settings: CLI flag > process environment > `.env` > meltano.yml > default.
 * (The system DB layer for project settings arrives with the settings editor.)
 */
export type SettingKind = 'string' | 'integer' | 'boolean';
export type SettingSource = 'cli' | 'env' | 'dotenv' | 'meltano_yml' | 'default';

export interface UiSettingSpec {
  name: string;
  kind: SettingKind;
  default: string | number | boolean | null;
  description: string;
  sensitive?: boolean;
}

/** Meltano's published defaults: anyone can sign cookies or precompute hashes with them. */
export const MELTANO_DEFAULT_SECRET_KEY = 'thisisnotapropersecretkey';
export const MELTANO_DEFAULT_PASSWORD_SALT = 'b4c124932584ad6e69f2774a0ae5c138';

export const UI_SETTING_SPECS = [
  { name: 'ui.bind_host', kind: 'string', default: '0.0.0.0', description: 'Address the UI listens on' },
  { name: 'ui.bind_port', kind: 'integer', default: 5000, description: 'Port the UI listens on' },
  {
    name: 'ui.logs_dir',
    kind: 'string',
    default: null,
    description: 'Folder that holds elt/<state id>/<run id>/elt.log (searched first)',
  },
  {
    name: 'ui.meltano_executable',
    kind: 'string',
    default: null,
    description: 'The Meltano CLI used to run pipelines (else .meltano/run/bin, else meltano on PATH)',
  },
  { name: 'ui.readonly', kind: 'boolean', default: false, description: 'Refuse every change' },
  { name: 'ui.authentication', kind: 'boolean', default: false, description: 'Require sign-in' },
  {
    name: 'ui.anonymous_readonly',
    kind: 'boolean',
    default: false,
    description: 'Let anonymous users look without changing anything',
  },
  {
    name: 'project_readonly',
    kind: 'boolean',
    default: false,
    description: 'Forbid changes to project files',
  },
  {
    name: 'ui.server_name',
    kind: 'string',
    default: null,
    description: 'Public host name of the UI (cookie domain when ui.session_cookie_domain is unset)',
  },
  {
    name: 'ui.session_cookie_domain',
    kind: 'string',
    default: null,
    description: 'Domain attribute of the session cookie',
  },
  {
    name: 'ui.session_cookie_secure',
    kind: 'boolean',
    default: false,
    description: 'Always mark the session cookie Secure',
  },
  {
    name: 'ui.secret_key',
    kind: 'string',
    default: MELTANO_DEFAULT_SECRET_KEY,
    description: 'Signs session cookies (run `meltano ui setup` to generate one)',
    sensitive: true,
  },
  {
    name: 'ui.password_salt',
    kind: 'string',
    default: MELTANO_DEFAULT_PASSWORD_SALT,
    description: 'Pepper of every password hash; changing it invalidates all passwords',
    sensitive: true,
  },
  {
    name: 'ui.legacy_password_salt',
    kind: 'string',
    default: null,
    description:
      "An old Meltano UI's ui.password_salt: checks the passwords of users imported from it (then re-hashed)",
    sensitive: true,
  },
  {
    name: 'ui.forwarded_allow_ips',
    kind: 'string',
    default: '127.0.0.1',
    description: 'Proxies whose X-Forwarded-* headers are believed (comma list, CIDR or *)',
  },
  {
    name: 'ui.trust_forwarded_host',
    kind: 'boolean',
    default: false,
    description: "Believe a trusted proxy's X-Forwarded-Host instead of Host (else it is ignored)",
  },
  {
    name: 'ui.allowed_hosts',
    kind: 'string',
    default: '',
    description:
      "Host names the UI answers for besides this machine's own, when ui.server_name is unset (comma list, or *)",
  },
  {
    name: 'ui.api_docs',
    kind: 'boolean',
    default: true,
    description: 'Serve the OpenAPI document and docs page at /api/v1/openapi.json and /api/v1/docs',
  },
  { name: 'ui.base_path', kind: 'string', default: '', description: 'URL path the UI is served under' },
  {
    name: 'ui.metrics_enabled',
    kind: 'boolean',
    default: false,
    description:
      'Serve Prometheus metrics at /api/v1/metrics (readable with an API token, or from this machine)',
  },
  {
    name: 'ui.check_for_updates',
    kind: 'boolean',
    default: true,
    description:
      'Look up the newest Meltano on PyPI (ui.pypi_url) to offer an upgrade; false on air-gapped sites',
  },
  {
    name: 'ui.pypi_url',
    kind: 'string',
    default: 'https://pypi.org/pypi/meltano/json',
    description: "The JSON document whose info.version is the newest Meltano (PyPI's, or a mirror's)",
  },
  {
    name: 'cli.log_level',
    kind: 'string',
    default: 'info',
    description: "Level of the server's log: debug, info, warning, error or critical (as Meltano's)",
  },
  {
    name: 'ui.deploy.branch',
    kind: 'string',
    default: null,
    description:
      "Branch deployments fast-forward the project checkout to (else the checkout's current branch)",
  },
  {
    name: 'ui.deploy.remote',
    kind: 'string',
    default: 'origin',
    description: 'Git remote deployments fetch from',
  },
  {
    name: 'ui.deploy.secret',
    kind: 'string',
    default: null,
    description: "The GitHub webhook's secret (X-Hub-Signature-256); the webhook is off while unset",
    sensitive: true,
  },
  {
    name: 'ui.workspaces',
    kind: 'string',
    default: null,
    description:
      'The other stages, as JSON: {"staging": {"url": "https://…", "branch": "staging"}, …} (header menu, Promote page)',
  },
  {
    name: 'ui.schedule_grace',
    kind: 'string',
    default: null,
    description:
      'How long after an expected start a schedule may start before it is late (900, 90s, 15m, 1h); default 10% of its interval, at least 5 minutes',
  },
  {
    name: 'ui.audit_retention_days',
    kind: 'integer',
    default: 365,
    description: 'How many days the audit log keeps an entry (older entries are purged hourly)',
  },
  {
    name: 'ui.notification',
    kind: 'boolean',
    default: false,
    description:
      'Email (over the mail.* settings) when a run started from the UI ends, as the old Meltano UI did',
  },
  {
    name: 'ui.notification_recipients',
    kind: 'string',
    default: null,
    description:
      "Addresses ui.notification emails go to (comma list), besides an old Meltano 2 system DB's subscriptions",
  },
  {
    name: 'mail.server',
    kind: 'string',
    default: 'localhost',
    description: 'SMTP server of ui.notification',
  },
  { name: 'mail.port', kind: 'integer', default: 1025, description: 'SMTP port of ui.notification' },
  {
    name: 'mail.default_sender',
    kind: 'string',
    default: '"Meltano" <bot@meltano.com>',
    description: 'From address of ui.notification emails',
  },
  {
    name: 'mail.use_tls',
    kind: 'boolean',
    default: false,
    description: 'Require STARTTLS with the SMTP server (as Flask-Mail did)',
  },
  { name: 'mail.username', kind: 'string', default: null, description: 'SMTP user name of ui.notification' },
  {
    name: 'mail.password',
    kind: 'string',
    default: null,
    description: 'SMTP password of ui.notification',
    sensitive: true,
  },
  {
    name: 'ui.oidc.issuer',
    kind: 'string',
    default: null,
    description:
      'OpenID Connect single sign-on: the issuer URL of the OpenID Provider (https; http only on a loopback address); sign-in with it is off while unset',
  },
  {
    name: 'ui.oidc.client_id',
    kind: 'string',
    default: null,
    description: 'The client ID registered with the OpenID Provider',
  },
  {
    name: 'ui.oidc.client_secret',
    kind: 'string',
    default: null,
    description:
      'The client secret registered with the OpenID Provider (a public client without one uses PKCE only)',
    sensitive: true,
  },
  {
    name: 'ui.oidc.scopes',
    kind: 'string',
    default: 'openid profile email',
    description: 'Scopes asked of the OpenID Provider (space-separated; openid is always asked)',
  },
  {
    name: 'ui.oidc.button_label',
    kind: 'string',
    default: 'Sign in with single sign-on',
    description: "The sign-in page's button for the OpenID Provider",
  },
  {
    name: 'ui.oidc.groups_claim',
    kind: 'string',
    default: 'groups',
    description:
      'The claim (ID token, else UserInfo) holding the groups ui.oidc.role_map maps (a dotted path reaches a nested claim)',
  },
  {
    name: 'ui.oidc.role_map',
    kind: 'string',
    default: null,
    description:
      'Group to role, as a JSON object: {"meltano-admins": "admin", "data": "regular", "staff": "viewer"} (the highest mapped role wins, on every sign-in)',
  },
  {
    name: 'ui.oidc.default_role',
    kind: 'string',
    default: null,
    description:
      'The role (admin, regular or viewer) of a user none of whose groups is mapped; unset refuses such users',
  },
  {
    name: 'ui.oidc.allowed_domains',
    kind: 'string',
    default: '',
    description:
      "Email domains allowed to sign in (comma list; the verified email's domain, or Google's hd claim); empty allows any",
  },
  {
    name: 'ui.oidc.only',
    kind: 'boolean',
    default: false,
    description:
      'Hide and refuse password sign-in on the web (the CLI `meltano user` commands still work, for break-glass)',
  },
  {
    name: 'ui.oauth_enabled',
    kind: 'boolean',
    default: false,
    description:
      'Deprecated (old Meltano UI "Sign in with GitLab"): maps onto ui.oidc.* with the GitLab issuer',
  },
  {
    name: 'oauth.gitlab.client_id',
    kind: 'string',
    default: null,
    description: 'Deprecated: the GitLab application ID of ui.oauth_enabled (use ui.oidc.client_id)',
  },
  {
    name: 'oauth.gitlab.client_secret',
    kind: 'string',
    default: null,
    description: 'Deprecated: the GitLab application secret of ui.oauth_enabled (use ui.oidc.client_secret)',
    sensitive: true,
  },
  {
    name: 'database_uri',
    kind: 'string',
    default: 'sqlite:///$MELTANO_SYS_DIR_ROOT/meltano.db',
    description: 'The system database shared with the Meltano CLI',
  },
] as const satisfies readonly UiSettingSpec[];

export type UiSettingName = (typeof UI_SETTING_SPECS)[number]['name'];

/** `ui.bind_port` → `MELTANO_UI_BIND_PORT`, as Meltano names project-setting env vars. */
export function settingEnvVar(name: string): string {
  return `MELTANO_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
}

export interface ResolvedSetting {
  name: string;
  value: string | number | boolean | null;
  source: SettingSource;
  env_var: string;
}

export interface SettingLayers {
  overrides?: Partial<Record<UiSettingName, string | number | boolean | null | undefined>>;
  env: NodeJS.ProcessEnv;
  dotenv: Record<string, string>;
  meltanoYml: Record<string, unknown>;
  /** Variables `$VAR` references in meltano.yml may use besides env and .env. */
  expansionVars: Record<string, string>;
  /** Values of the legacy `<project>/ui.cfg` (readLegacyUiCfg), used instead of a default. */
  legacyUiCfg?: LegacyUiCfg;
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', 'f', 'n', '']);

function cast(spec: UiSettingSpec, raw: unknown, where: string): string | number | boolean | null {
  if (raw === null || raw === undefined) return null;
  if (spec.kind === 'boolean') {
    if (typeof raw === 'boolean') return raw;
    const word = String(raw).trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    throw new InvalidInputError(
      `${spec.name} from ${where} must be true or false, got ${JSON.stringify(raw)}`,
    );
  }
  if (spec.kind === 'integer') {
    const n = typeof raw === 'number' ? raw : Number(String(raw).trim());
    if (!Number.isInteger(n)) {
      throw new InvalidInputError(
        `${spec.name} from ${where} must be an integer, got ${JSON.stringify(raw)}`,
      );
    }
    return n;
  }
  return String(raw);
}

export function resolveSetting(spec: UiSettingSpec, layers: SettingLayers): ResolvedSetting {
  const envVar = settingEnvVar(spec.name);
  const base = { name: spec.name, env_var: envVar };
  const override = layers.overrides?.[spec.name as UiSettingName];
  if (override !== undefined && override !== null) {
    return { ...base, value: cast(spec, override, 'the command line'), source: 'cli' };
  }
  const fromEnv = layers.env[envVar];
  if (fromEnv !== undefined) return { ...base, value: cast(spec, fromEnv, envVar), source: 'env' };
  const fromDotenv = layers.dotenv[envVar];
  if (fromDotenv !== undefined) {
    return { ...base, value: cast(spec, fromDotenv, `.env ${envVar}`), source: 'dotenv' };
  }
  const vars = { ...layers.expansionVars, ...layers.dotenv, ...layers.env };
  const fromYml = layers.meltanoYml[spec.name];
  if (fromYml !== undefined && fromYml !== null) {
    const value = typeof fromYml === 'string' ? expandEnvVars(fromYml, vars) : fromYml;
    return { ...base, value: cast(spec, value, 'meltano.yml'), source: 'meltano_yml' };
  }
  const legacy = (layers.legacyUiCfg as Record<string, string | null> | undefined)?.[spec.name];
  // Meltano reports a ui.cfg value as coming from the environment.
  if (legacy !== undefined) return { ...base, value: cast(spec, legacy, 'ui.cfg'), source: 'env' };
  const value = typeof spec.default === 'string' ? expandEnvVars(spec.default, vars) : spec.default;
  return { ...base, value, source: 'default' };
}

export function resolveUiSettings(layers: SettingLayers): Record<UiSettingName, ResolvedSetting> {
  const out = {} as Record<UiSettingName, ResolvedSetting>;
  for (const spec of UI_SETTING_SPECS) out[spec.name] = resolveSetting(spec, layers);
  return out;
}

/** Settings `meltano ui setup` wrote to `<project>/ui.cfg` up to Meltano ~1.30 (`None` means null). */
export type LegacyUiCfg = Partial<
  Record<'ui.server_name' | 'ui.secret_key' | 'ui.password_salt', string | null>
>;

const LEGACY_UI_CFG_KEYS = {
  SERVER_NAME: 'ui.server_name',
  SECRET_KEY: 'ui.secret_key',
  SECURITY_PASSWORD_SALT: 'ui.password_salt',
} as const;

export function legacyUiCfgFile(projectRoot: string): string {
  return path.join(projectRoot, 'ui.cfg');
}

/** Reads `<project>/ui.cfg` (read-only; nothing writes it any more); empty when there is none. */
export async function readLegacyUiCfg(projectRoot: string): Promise<LegacyUiCfg> {
  let text: string;
  try {
    text = await readFile(legacyUiCfgFile(projectRoot), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  const values = parseDotenv(text, {});
  const out: LegacyUiCfg = {};
  for (const [key, name] of Object.entries(LEGACY_UI_CFG_KEYS)) {
    const value = values[key];
    if (value !== undefined) out[name] = value === 'None' ? null : value;
  }
  return out;
}

/** Applies ui.cfg to settings resolved without it: only where the default would otherwise be used. */
export function withLegacyUiCfg(
  settings: Record<UiSettingName, ResolvedSetting>,
  cfg: LegacyUiCfg,
): Record<UiSettingName, ResolvedSetting> {
  const out = { ...settings };
  for (const [name, value] of Object.entries(cfg) as [keyof LegacyUiCfg, string | null][]) {
    if (out[name].source === 'default') out[name] = { ...out[name], value, source: 'env' };
  }
  return out;
}
