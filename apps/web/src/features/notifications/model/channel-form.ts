import type { ChannelCreate, ChannelKind, ChannelPatch, NotificationChannel } from '../../../lib/api-types';

export const CHANNEL_KINDS: readonly ChannelKind[] = ['webhook', 'slack', 'email'];

export const KIND_LABELS: Record<ChannelKind, string> = {
  webhook: 'Webhook',
  slack: 'Slack',
  email: 'Email',
};

/** What the API reads back in place of a secret that is set. */
export const REDACTED = '(redacted)';

/**
 * One form for the three kinds; `kind` says which fields are sent. Secret fields (webhook url and
 * secret, Slack url, SMTP password) start empty when editing: empty keeps the stored value.
 */
export interface ChannelForm {
  kind: ChannelKind;
  name: string;
  url: string;
  secret: string;
  host: string;
  port: string;
  secure: boolean;
  starttls: boolean;
  username: string;
  password: string;
  from: string;
  /** One or several addresses, separated by commas, semicolons or new lines. */
  to: string;
  /** Remove the stored optional secret (webhook secret, SMTP password) rather than keep it. */
  clearSecret: boolean;
}

export type ChannelField =
  | 'name'
  | 'url'
  | 'secret'
  | 'host'
  | 'port'
  | 'secure'
  | 'starttls'
  | 'username'
  | 'password'
  | 'from'
  | 'to';

/** The secrets each kind keeps, as the API names them. */
export const SECRET_FIELDS: Record<ChannelKind, readonly ChannelField[]> = {
  webhook: ['url', 'secret'],
  slack: ['url'],
  email: ['password'],
};

export function emptyChannelForm(kind: ChannelKind = 'webhook'): ChannelForm {
  return {
    kind,
    name: '',
    url: '',
    secret: '',
    host: '',
    port: '',
    secure: false,
    starttls: false,
    username: '',
    password: '',
    from: '',
    to: '',
    clearSecret: false,
  };
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The form for editing a channel: its shown settings filled in, its secrets left empty. */
export function channelForm(channel: NotificationChannel): ChannelForm {
  const c = channel.config;
  const form = { ...emptyChannelForm(channel.kind), name: channel.name };
  if (channel.kind !== 'email') return form;
  return {
    ...form,
    host: text(c.host),
    port: typeof c.port === 'number' ? String(c.port) : text(c.port),
    secure: c.secure === true,
    starttls: c.starttls === true,
    username: text(c.username),
    from: text(c.from),
    to: Array.isArray(c.to) ? c.to.map(String).join(', ') : text(c.to),
  };
}

/** Whether the stored channel has this secret set (the API says `(redacted)` for it). */
export const secretIsSet = (channel: NotificationChannel, field: ChannelField) =>
  channel.config[field] === REDACTED;

/** `a@x, b@y; c@z` (or one per line) as a list, blanks dropped, each address once. */
export function recipientList(value: string): string[] {
  const list = value
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  return [...new Set(list)];
}

const ADDRESS = /^[^\s@<>,;"]+@[^\s@<>,;"]+$/;

/**
 * What must be fixed before sending, by field (the server checks again and names its own field).
 * `editing`: secrets may be left empty, since empty keeps them.
 */
export function channelFormErrors(form: ChannelForm, editing = false): Partial<Record<ChannelField, string>> {
  const errors: Partial<Record<ChannelField, string>> = {};
  if (form.name.trim() === '') errors.name = 'A name is required';
  if (form.kind === 'email') {
    if (form.host.trim() === '') errors.host = 'The SMTP server is required';
    const port = form.port.trim();
    if (port !== '' && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65_535))
      errors.port = 'A port is a whole number from 1 to 65535';
    if (form.from.trim() === '') errors.from = 'A sender address is required';
    const to = recipientList(form.to);
    const bad = to.filter((a) => !ADDRESS.test(a));
    if (to.length === 0) errors.to = 'At least one address is required';
    else if (bad.length > 0) errors.to = `Not an address: ${bad.join(', ')}`;
  } else if (!editing && form.url.trim() === '') {
    errors.url = 'The URL is required';
  }
  return errors;
}

/** The body of POST /notifications/channels. */
export function createChannelBody(form: ChannelForm): ChannelCreate {
  return { kind: form.kind, name: form.name.trim(), config: configOf(form, false) };
}

/**
 * The body of PATCH /notifications/channels/{id}: every shown setting, and only the secrets typed in
 * (an empty one is left out, which keeps it; "remove" sends null).
 */
export function channelPatchBody(form: ChannelForm): ChannelPatch {
  return { name: form.name.trim(), config: configOf(form, true) };
}

/** The port the server uses when none is given: SMTPS 465 with `secure`, else submission 587. */
export const defaultPort = (secure: boolean) => (secure ? 465 : 587);

function configOf(form: ChannelForm, editing: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // A secret typed in is sent; an empty one is left out (editing: the stored one stays), or sent as
  // null to remove an optional one.
  const secret = (key: ChannelField, value: string, optional: boolean) => {
    if (value !== '') out[key] = value;
    else if (!editing && !optional) out[key] = '';
    else if (editing && optional && form.clearSecret) out[key] = null;
  };
  switch (form.kind) {
    case 'webhook':
      secret('url', form.url.trim(), false);
      secret('secret', form.secret, true);
      return out;
    case 'slack':
      secret('url', form.url.trim(), false);
      return out;
    case 'email': {
      const port = form.port.trim();
      out.host = form.host.trim();
      out.port = port === '' ? defaultPort(form.secure) : Number(port);
      out.secure = form.secure;
      out.starttls = form.starttls;
      out.username = form.username.trim() === '' ? null : form.username.trim();
      secret('password', form.password, true);
      out.from = form.from.trim();
      out.to = recipientList(form.to);
      return out;
    }
  }
}
