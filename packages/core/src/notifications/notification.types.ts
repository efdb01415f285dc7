/**
 * Notifications (issue 15, item 4). Property names are snake_case: they reach the API unchanged.
 */

/** What a rule can ask for. `stale`: presumed dead (see run-status.ts); `recovered`: the first success after failures. */
export type NotificationEvent = 'failed' | 'stale' | 'late' | 'recovered' | 'succeeded';
export const NOTIFICATION_EVENTS: readonly NotificationEvent[] = [
  'failed',
  'stale',
  'late',
  'recovered',
  'succeeded',
];

export type ChannelKind = 'webhook' | 'slack' | 'email';
export const CHANNEL_KINDS: readonly ChannelKind[] = ['webhook', 'slack', 'email'];

/** What is shown in place of a secret that is set: the same word as everywhere else. */
export { REDACTED } from '../plugins/redact.js';

/**
 * A channel as any reader sees it: secret fields are `(redacted)` when set and null when not, never
 * their value. `target` says where messages go without giving a secret away (a webhook's origin, the
 * SMTP server and recipients).
 */
export interface ChannelView {
  id: string;
  kind: ChannelKind;
  name: string;
  config: Record<string, unknown>;
  /** Some secret field is set. */
  has_secret: boolean;
  /**
   * False when the stored secrets cannot be decrypted (ui.secret_key changed since they were saved):
   * sends fail until they are entered again.
   */
  secret_readable: boolean;
  target: string;
  created_at: string;
  updated_at: string;
}

export interface RuleView {
  id: string;
  channel_id: string;
  events: NotificationEvent[];
  /** Schedule or job names (or state IDs no pipeline claims); null: every pipeline. */
  pipelines: string[] | null;
  enabled: boolean;
  /** A rule never fires for what happened before it (a run that ended, a start that was missed). */
  created_at: string;
}

export type DeliveryStatus = 'sending' | 'retrying' | 'delivered' | 'failed';

export interface DeliveryView {
  id: string;
  /** Null for ui.notification's implicit email rule and for tests. */
  rule_id: string | null;
  channel_id: string | null;
  /** `rule`, `legacy_email` (ui.notification) or `test` (a "send test"). */
  source: 'rule' | 'legacy_email' | 'test';
  event: NotificationEvent | 'test';
  event_key: string;
  pipeline: string | null;
  run_id: number | null;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  /** The receiver's HTTP status, or the SMTP reply code. */
  response_code: number | null;
  next_attempt_at: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

export interface DeliveryPage {
  items: DeliveryView[];
  next_cursor: string | null;
}

/** The run a notification is about, as its message shows it. */
export interface NotificationRun {
  id: number;
  run_id: string | null;
  state_id: string;
  status: 'running' | 'success' | 'failed' | 'stale';
  started_at: string | null;
  ended_at: string | null;
  duration_seconds: number | null;
  trigger: string | null;
  /** Records moved by the run, when known (Singer metrics); null otherwise. */
  records_moved: number | null;
  /** The failure cause line (failure-causes/), else the runs row's error; null for a success. */
  failure_cause: string | null;
}

/** A late schedule, as its message shows it. */
export interface NotificationLateness {
  schedule: string;
  expected_at: string;
  missed: number;
  missed_capped: boolean;
}

/**
 * Everything a message says, fixed when the event is claimed and stored with the delivery: a retry or
 * a replica taking over sends the same message.
 */
export interface NotificationContent {
  event: NotificationEvent | 'test';
  /** `<rule key>/<event key>`: the same on every attempt, for receivers that de-duplicate. */
  delivery_key: string;
  pipeline: string | null;
  run: NotificationRun | null;
  lateness: NotificationLateness | null;
  /** Link to the run (or schedule) page; null without ui.server_name. */
  url: string | null;
  /** When the event happened (the run ended, the start was missed). */
  occurred_at: string;
  /** One line: `Pipeline gitlab-to-postgres failed`. */
  title: string;
  /** The message as plain text, several lines. */
  text: string;
}
