import { Type } from 'typebox';
import { Nullable, StringEnum, Timestamp } from './common.js';

export const ChannelKind = StringEnum(['webhook', 'slack', 'email'], {
  description:
    '`webhook`: a JSON POST signed with X-Meltano-UI-Signature; `slack`: a Slack-compatible incoming webhook; `email`: SMTP',
});
export const NotificationEvent = StringEnum(['failed', 'stale', 'late', 'recovered', 'succeeded'], {
  description:
    '`stale`: presumed dead (no heartbeat); `late`: a schedule whose expected start passed with no run; `recovered`: the first success after failures',
});

const ChannelConfig = Type.Record(Type.String(), Type.Unknown(), {
  description:
    'webhook `{url, secret}`; slack `{url}`; email `{host, port, secure, username?, password?, from, to}` (`to` a string or a list). Secrets (webhook url and secret, slack url, password) read back as "(redacted)"; send "(redacted)" or leave one out to keep it, null to clear an optional one',
});

export const Channel = Type.Object(
  {
    id: Type.String(),
    kind: ChannelKind,
    name: Type.String(),
    config: ChannelConfig,
    has_secret: Type.Boolean(),
    secret_readable: Type.Boolean({
      description: 'False when ui.secret_key changed since its secrets were saved: enter them again',
    }),
    target: Type.String({
      description: 'Where messages go, without any secret (a webhook’s origin, SMTP host)',
    }),
    created_at: Timestamp,
    updated_at: Timestamp,
  },
  { $id: 'NotificationChannel' },
);

export const ChannelBody = Type.Object({
  kind: ChannelKind,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  config: ChannelConfig,
});

export const ChannelPatchBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  config: Type.Optional(ChannelConfig),
});

const Pipelines = Nullable(
  Type.Array(Type.String({ minLength: 1, maxLength: 900 }), {
    maxItems: 1000,
    description: 'Schedule or job names; null: every pipeline',
  }),
);

export const Rule = Type.Object(
  {
    id: Type.String(),
    channel_id: Type.String(),
    events: Type.Array(NotificationEvent),
    pipelines: Pipelines,
    enabled: Type.Boolean(),
    created_at: Type.String({
      format: 'date-time',
      description: 'A rule never fires for runs that ended, or starts that were missed, before it',
    }),
  },
  { $id: 'NotificationRule' },
);

export const RuleBody = Type.Object({
  channel_id: Type.String({ minLength: 1, maxLength: 100 }),
  events: Type.Array(NotificationEvent, { minItems: 1, maxItems: 5 }),
  pipelines: Type.Optional(Pipelines),
  enabled: Type.Optional(Type.Boolean()),
});

export const RulePatchBody = Type.Object({
  events: Type.Optional(Type.Array(NotificationEvent, { minItems: 1, maxItems: 5 })),
  pipelines: Type.Optional(Pipelines),
  enabled: Type.Optional(Type.Boolean()),
});

export const DeliveryStatus = StringEnum(['sending', 'retrying', 'delivered', 'failed']);

export const Delivery = Type.Object(
  {
    id: Type.String(),
    rule_id: Nullable(Type.String()),
    channel_id: Nullable(Type.String()),
    source: StringEnum(['rule', 'legacy_email', 'test'], {
      description: '`legacy_email`: ui.notification’s implicit email rule; `test`: a "send test"',
    }),
    event: StringEnum(['failed', 'stale', 'late', 'recovered', 'succeeded', 'test']),
    event_key: Type.String(),
    pipeline: Nullable(Type.String()),
    run_id: Nullable(Type.Integer()),
    status: DeliveryStatus,
    attempts: Type.Integer(),
    last_error: Nullable(Type.String()),
    response_code: Nullable(
      Type.Integer({ description: 'The receiver’s HTTP status, or the SMTP reply code' }),
    ),
    next_attempt_at: Nullable(Timestamp),
    created_at: Timestamp,
    updated_at: Timestamp,
    delivered_at: Nullable(Timestamp),
  },
  { $id: 'NotificationDelivery' },
);
