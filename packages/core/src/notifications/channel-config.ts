import { InvalidInputError } from '../errors.js';
import { CHANNEL_KINDS, type ChannelKind, REDACTED } from './notification.types.js';

export interface WebhookConfig {
  url: string;
  /** Signs each body (X-Meltano-UI-Signature); null: requests go unsigned. */
  secret: string | null;
}

export interface SlackConfig {
  url: string;
}

export interface EmailConfig {
  host: string;
  port: number;
  /** TLS from the first byte (SMTPS, usually port 465). */
  secure: boolean;
  /** Refuse to send unless the server upgrades the connection with STARTTLS (Flask-Mail's MAIL_USE_TLS). */
  starttls: boolean;
  username: string | null;
  password: string | null;
  from: string;
  to: string[];
}

/** A channel's whole configuration, secrets included: only senders see it. */
export type ChannelConfig =
  | { kind: 'webhook'; config: WebhookConfig }
  | { kind: 'slack'; config: SlackConfig }
  | { kind: 'email'; config: EmailConfig };

/** The fields of each kind that are secrets: stored sealed (secret-box.ts), shown as `(redacted)`. */
export const SECRET_FIELDS: Record<ChannelKind, readonly string[]> = {
  webhook: ['url', 'secret'],
  slack: ['url'],
  email: ['password'],
};

export function parseChannelKind(kind: unknown): ChannelKind {
  if (typeof kind === 'string' && (CHANNEL_KINDS as readonly string[]).includes(kind))
    return kind as ChannelKind;
  throw new InvalidInputError(`kind must be one of ${CHANNEL_KINDS.join(', ')}`, { kind });
}

/**
 * Validates a configuration as written by an admin, over the one stored (a PATCH): a secret field
 * left out or sent back as `(redacted)` keeps its value, null clears an optional one; other fields
 * left out keep theirs.
 */
export function buildChannelConfig(
  kind: ChannelKind,
  input: unknown,
  existing: ChannelConfig | null,
): ChannelConfig {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    throw new InvalidInputError('config must be an object', { field: 'config' });
  }
  const given = (input ?? {}) as Record<string, unknown>;
  const known = new Set(fieldsOf(kind));
  const unknown = Object.keys(given).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new InvalidInputError(`Unknown ${kind} config field ${unknown.map((k) => `'${k}'`).join(', ')}`, {
      fields: unknown,
    });
  }
  const old = (existing?.config ?? {}) as unknown as Record<string, unknown>;
  const pick = (key: string): unknown => {
    const value = given[key];
    if (value === undefined) return old[key];
    if (value === REDACTED && SECRET_FIELDS[kind].includes(key)) return old[key];
    return value;
  };
  switch (kind) {
    case 'webhook':
      return {
        kind,
        config: { url: httpUrl(pick('url'), 'url'), secret: optionalText(pick('secret'), 'secret') },
      };
    case 'slack':
      return { kind, config: { url: httpUrl(pick('url'), 'url') } };
    case 'email': {
      const secure = bool(pick('secure'), 'secure', false);
      return {
        kind,
        config: {
          host: headerText(pick('host'), 'host'),
          port: port(pick('port') ?? (secure ? 465 : 587)),
          secure,
          starttls: bool(pick('starttls'), 'starttls', false),
          username: optionalText(pick('username'), 'username'),
          password: optionalText(pick('password'), 'password'),
          from: headerText(pick('from'), 'from'),
          to: recipients(pick('to')),
        },
      };
    }
  }
}

function fieldsOf(kind: ChannelKind): string[] {
  switch (kind) {
    case 'webhook':
      return ['url', 'secret'];
    case 'slack':
      return ['url'];
    case 'email':
      return ['host', 'port', 'secure', 'starttls', 'username', 'password', 'from', 'to'];
  }
}

/** What may be stored in the clear and shown, and the secrets to seal. */
export function splitChannelConfig(channel: ChannelConfig): {
  shown: Record<string, unknown>;
  secrets: Record<string, string>;
} {
  const all = channel.config as unknown as Record<string, unknown>;
  const shown: Record<string, unknown> = {};
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(all)) {
    if (!SECRET_FIELDS[channel.kind].includes(key)) shown[key] = value;
    else if (typeof value === 'string') secrets[key] = value;
  }
  // A webhook's URL is a secret (Slack's carries its token); its origin tells admins which one it is.
  if (channel.kind !== 'email') shown.origin = new URL(channel.config.url).origin;
  return { shown, secrets };
}

/** The stored halves back together; null when a required secret is missing (unreadable). */
export function joinChannelConfig(
  kind: ChannelKind,
  shown: Record<string, unknown>,
  secrets: Record<string, string> | null,
): ChannelConfig | null {
  const { origin: _origin, ...rest } = shown;
  try {
    return buildChannelConfig(kind, { ...rest, ...(secrets ?? {}) }, null);
  } catch {
    return null;
  }
}

/** The config as readers see it: every secret field `(redacted)` when set, null when not. */
export function redactedConfig(
  kind: ChannelKind,
  shown: Record<string, unknown>,
  secretFieldsSet: readonly string[],
): Record<string, unknown> {
  const { origin: _origin, ...rest } = shown;
  const out: Record<string, unknown> = { ...rest };
  for (const key of SECRET_FIELDS[kind]) out[key] = secretFieldsSet.includes(key) ? REDACTED : null;
  return out;
}

/** Where messages go, without a secret: the webhook's origin, or the SMTP server and recipients. */
export function channelTarget(kind: ChannelKind, shown: Record<string, unknown>): string {
  if (kind !== 'email') return typeof shown.origin === 'string' ? shown.origin : '';
  const to = Array.isArray(shown.to) ? shown.to.join(', ') : '';
  return `smtp://${String(shown.host)}:${String(shown.port)} → ${to}`;
}

function httpUrl(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidInputError(`config.${field} is required`, { field: `config.${field}` });
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new InvalidInputError(`config.${field} must be an http or https URL`, { field: `config.${field}` });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidInputError(`config.${field} must be an http or https URL`, { field: `config.${field}` });
  }
  return url.toString();
}

function optionalText(value: unknown, field: string): string | null {
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string')
    throw new InvalidInputError(`config.${field} must be a string`, { field: `config.${field}` });
  return value;
}

/** Header fields must not smuggle in a line break (another header, another recipient). */
function headerText(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidInputError(`config.${field} is required`, { field: `config.${field}` });
  if (/[\r\n]/.test(value))
    throw new InvalidInputError(`config.${field} must be one line`, { field: `config.${field}` });
  return value.trim();
}

function bool(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean')
    throw new InvalidInputError(`config.${field} must be true or false`, { field: `config.${field}` });
  return value;
}

function port(value: unknown): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 65_535) {
    throw new InvalidInputError('config.port must be an integer from 1 to 65535', { field: 'config.port' });
  }
  return n;
}

const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;

/** `to` is one address, a comma list, or a list of addresses. */
export function recipients(value: unknown): string[] {
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : null;
  if (items === null)
    throw new InvalidInputError('config.to must be an address or a list of addresses', {
      field: 'config.to',
    });
  const list = items
    .map((item) => (typeof item === 'string' ? item.trim() : ''))
    .filter((item) => item !== '');
  if (list.length === 0)
    throw new InvalidInputError('config.to needs at least one address', { field: 'config.to' });
  const bad = list.filter((item) => !ADDRESS.test(item));
  if (bad.length > 0)
    throw new InvalidInputError(`config.to has invalid addresses: ${bad.join(', ')}`, { field: 'config.to' });
  return [...new Set(list)];
}
