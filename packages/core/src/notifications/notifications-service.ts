import { randomUUID } from 'node:crypto';
import { InvalidInputError, NotFoundError } from '../errors.js';
import {
  buildChannelConfig,
  type ChannelConfig,
  channelTarget,
  joinChannelConfig,
  parseChannelKind,
  redactedConfig,
  splitChannelConfig,
} from './channel-config.js';
import { type LinkBase, testContent } from './content.js';
import { type DeliverOptions, deliver } from './deliver.js';
import {
  type ChannelView,
  type DeliveryPage,
  type DeliveryStatus,
  type DeliveryView,
  NOTIFICATION_EVENTS,
  type NotificationEvent,
  type RuleView,
} from './notification.types.js';
import type {
  NotificationsRepository,
  StoredChannel,
  StoredDelivery,
  StoredRule,
} from './notifications.repository.js';
import type { SecretBox } from './secret-box.js';

export interface NotificationsServiceOptions {
  repo: NotificationsRepository;
  box: SecretBox;
  link: LinkBase;
  now: () => Date;
  /** How long a send may take; see senders.ts. */
  sendTimeoutMs?: number;
}

export interface ChannelInput {
  kind: unknown;
  name: unknown;
  config: unknown;
}

export interface ChannelPatch {
  name?: unknown;
  config?: unknown;
}

export interface RuleInput {
  channel_id: unknown;
  events: unknown;
  pipelines?: unknown;
  enabled?: unknown;
}

export interface RulePatch {
  events?: unknown;
  pipelines?: unknown;
  enabled?: unknown;
}

export interface DeliveryQuery {
  limit?: number;
  cursor?: string | null;
  status?: DeliveryStatus;
  channel_id?: string;
}

const DELIVERY_STATUSES: readonly DeliveryStatus[] = ['sending', 'retrying', 'delivered', 'failed'];

/**
 * What the admin routes call: channels (secrets never returned), rules, the delivery log and "send
 * test". Inputs are taken as the API received them (`unknown`) and validated here, so routes stay thin.
 */
export function createNotificationsService(opts: NotificationsServiceOptions) {
  const { repo, box } = opts;

  const view = (channel: StoredChannel): ChannelView => {
    const secrets = channel.sealed === null ? {} : box.open(channel.sealed, channel.id);
    return {
      id: channel.id,
      kind: channel.kind,
      name: channel.name,
      config: redactedConfig(channel.kind, channel.shown, secrets === null ? [] : Object.keys(secrets)),
      has_secret: channel.sealed !== null,
      secret_readable: secrets !== null,
      target: channelTarget(channel.kind, channel.shown),
      created_at: channel.created_at,
      updated_at: channel.updated_at,
    };
  };

  const stored = async (id: string): Promise<StoredChannel> => {
    const channel = await repo.getChannel(String(id));
    if (channel === null) throw new NotFoundError('notification_channel', `No notification channel ${id}`);
    return channel;
  };

  /** The whole configuration, secrets included; null when they cannot be decrypted any more. */
  const resolve = (channel: StoredChannel): ChannelConfig | null => {
    const secrets = channel.sealed === null ? {} : box.open(channel.sealed, channel.id);
    return secrets === null ? null : joinChannelConfig(channel.kind, channel.shown, secrets);
  };

  const sealFor = (config: ChannelConfig) => {
    const { shown, secrets } = splitChannelConfig(config);
    return {
      shown,
      seal: (id: string) => (Object.keys(secrets).length === 0 ? null : box.seal(secrets, id)),
    };
  };

  const deliverOptions = (): DeliverOptions => ({
    now: opts.now,
    ...(opts.sendTimeoutMs !== undefined ? { timeoutMs: opts.sendTimeoutMs } : {}),
  });

  return {
    async listChannels(): Promise<ChannelView[]> {
      return (await repo.listChannels()).map(view);
    },

    async getChannel(id: string): Promise<ChannelView> {
      return view(await stored(id));
    },

    async createChannel(input: ChannelInput): Promise<ChannelView> {
      const kind = parseChannelKind(input.kind);
      const config = buildChannelConfig(kind, input.config, null);
      const { shown, seal } = sealFor(config);
      return view(await repo.insertChannel({ kind, name: channelName(input.name), shown, seal }));
    },

    /** `config` fields left out keep their values; a secret sent back as `(redacted)` is kept too. */
    async updateChannel(id: string, patch: ChannelPatch): Promise<ChannelView> {
      const channel = await stored(id);
      const name = patch.name === undefined ? channel.name : channelName(patch.name);
      let fields = { name, shown: channel.shown, sealed: channel.sealed };
      if (patch.config !== undefined) {
        // Over unreadable secrets (ui.secret_key changed) nothing can be kept: each must be given again.
        const { shown, seal } = sealFor(buildChannelConfig(channel.kind, patch.config, resolve(channel)));
        fields = { name, shown, sealed: seal(channel.id) };
      }
      const updated = await repo.updateChannel(channel.id, fields);
      if (updated === null) throw new NotFoundError('notification_channel', `No notification channel ${id}`);
      return view(updated);
    },

    async deleteChannel(id: string): Promise<void> {
      if (!(await repo.deleteChannel(String(id)))) {
        throw new NotFoundError('notification_channel', `No notification channel ${id}`);
      }
    },

    /** Sends a test message at once (one attempt, no retry) and returns its delivery log entry. */
    async testChannel(id: string): Promise<DeliveryView> {
      const channel = await stored(id);
      const ruleKey = `test:${randomUUID()}`;
      const content = testContent({
        deliveryKey: `${ruleKey}/test`,
        channelName: channel.name,
        at: opts.now().toISOString(),
        link: opts.link,
      });
      const lease = await repo.claim(
        {
          rule_key: ruleKey,
          event_key: 'test',
          rule_id: null,
          channel_id: channel.id,
          event: 'test',
          pipeline: null,
          run_id: null,
          payload: { content },
        },
        'test',
        60_000,
      );
      if (lease === null) throw new Error('A fresh test key was already claimed');
      const result = await deliver(resolve(channel), content, deliverOptions());
      await repo.recordAttempt(lease, {
        ok: result.ok,
        response_code: result.code,
        error: result.error,
        next_attempt_at: null,
      });
      const after = await repo.getDelivery(lease.delivery.id);
      if (after === null) throw new Error('The test delivery vanished');
      return deliveryView(after);
    },

    /** For the notifier: a channel's whole configuration at send time (edits apply to retries). */
    async resolveChannel(id: string): Promise<{ found: boolean; config: ChannelConfig | null }> {
      const channel = await repo.getChannel(id);
      return channel === null ? { found: false, config: null } : { found: true, config: resolve(channel) };
    },

    async listRules(): Promise<RuleView[]> {
      return (await repo.listRules()).map(ruleView);
    },

    async getRule(id: string): Promise<RuleView> {
      const rule = await repo.getRule(String(id));
      if (rule === null) throw new NotFoundError('notification_rule', `No notification rule ${id}`);
      return ruleView(rule);
    },

    async createRule(input: RuleInput): Promise<RuleView> {
      const channelId = typeof input.channel_id === 'string' ? input.channel_id : '';
      if ((await repo.getChannel(channelId)) === null) {
        throw new InvalidInputError(
          `channel_id: no notification channel ${JSON.stringify(input.channel_id)}`,
          { field: 'channel_id' },
        );
      }
      return ruleView(
        await repo.insertRule({
          channel_id: channelId,
          events: ruleEvents(input.events),
          pipelines: rulePipelines(input.pipelines),
          enabled: ruleEnabled(input.enabled, true),
        }),
      );
    },

    async updateRule(id: string, patch: RulePatch): Promise<RuleView> {
      const rule = await repo.getRule(String(id));
      if (rule === null) throw new NotFoundError('notification_rule', `No notification rule ${id}`);
      const updated = await repo.updateRule(rule.id, {
        events: patch.events === undefined ? rule.events : ruleEvents(patch.events),
        pipelines: patch.pipelines === undefined ? rule.pipelines : rulePipelines(patch.pipelines),
        enabled: ruleEnabled(patch.enabled, rule.enabled),
      });
      if (updated === null) throw new NotFoundError('notification_rule', `No notification rule ${id}`);
      return ruleView(updated);
    },

    async deleteRule(id: string): Promise<void> {
      if (!(await repo.deleteRule(String(id)))) {
        throw new NotFoundError('notification_rule', `No notification rule ${id}`);
      }
    },

    /** The delivery log, newest first (admins: it names pipelines and receivers' answers). */
    async listDeliveries(query: DeliveryQuery = {}): Promise<DeliveryPage> {
      const limit = query.limit ?? 50;
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) {
        throw new InvalidInputError('limit must be an integer from 1 to 500', { field: 'limit' });
      }
      if (query.status !== undefined && !DELIVERY_STATUSES.includes(query.status)) {
        throw new InvalidInputError(`status must be one of ${DELIVERY_STATUSES.join(', ')}`, {
          field: 'status',
        });
      }
      const rows = await repo.listDeliveries({
        limit: limit + 1,
        before: query.cursor ? decodeCursor(query.cursor) : null,
        ...(query.status ? { status: query.status } : {}),
        ...(query.channel_id ? { channelId: query.channel_id } : {}),
      });
      const items = rows.slice(0, limit).map(deliveryView);
      const last = rows.length > limit ? rows[limit - 1] : undefined;
      return { items, next_cursor: last ? encodeCursor(last) : null };
    },
  };
}
export type NotificationsService = ReturnType<typeof createNotificationsService>;

function channelName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw new InvalidInputError('name is required', { field: 'name' });
  if (value.length > 255 || /[\r\n]/.test(value))
    throw new InvalidInputError('name must be one line of at most 255 characters', { field: 'name' });
  return value.trim();
}

function ruleEvents(value: unknown): NotificationEvent[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new InvalidInputError(`events must be a non-empty list of ${NOTIFICATION_EVENTS.join(', ')}`, {
      field: 'events',
    });
  }
  const bad = value.filter((e) => !(NOTIFICATION_EVENTS as readonly unknown[]).includes(e));
  if (bad.length > 0) {
    throw new InvalidInputError(`Unknown events ${bad.map((e) => JSON.stringify(e)).join(', ')}`, {
      allowed: [...NOTIFICATION_EVENTS],
    });
  }
  return NOTIFICATION_EVENTS.filter((e) => value.includes(e));
}

function rulePipelines(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.some((p) => typeof p !== 'string' || p.trim() === '')) {
    throw new InvalidInputError(
      'pipelines must be null (every pipeline) or a list of schedule or job names',
      { field: 'pipelines' },
    );
  }
  if (value.length === 0)
    throw new InvalidInputError('pipelines must name at least one pipeline (or be null for all)', {
      field: 'pipelines',
    });
  return [...new Set(value.map((p: string) => p.trim()))];
}

function ruleEnabled(value: unknown, fallback: boolean): boolean {
  if (value === undefined || value === null) return fallback;
  if (typeof value !== 'boolean')
    throw new InvalidInputError('enabled must be true or false', { field: 'enabled' });
  return value;
}

export function ruleView(rule: StoredRule): RuleView {
  return { ...rule };
}

export function deliveryView(row: StoredDelivery): DeliveryView {
  const source = row.rule_key.startsWith('rule:')
    ? 'rule'
    : row.rule_key === 'legacy-email'
      ? 'legacy_email'
      : 'test';
  return {
    id: row.id,
    rule_id: row.rule_id,
    channel_id: row.channel_id,
    source,
    event: row.event as DeliveryView['event'],
    event_key: row.event_key,
    pipeline: row.pipeline,
    run_id: row.run_id,
    status: row.status,
    attempts: row.attempts,
    last_error: row.last_error,
    response_code: row.response_code,
    next_attempt_at: row.status === 'retrying' ? row.next_attempt_at : null,
    created_at: row.created_at,
    updated_at: row.updated_at,
    delivered_at: row.delivered_at,
  };
}

function encodeCursor(row: StoredDelivery): string {
  return Buffer.from(JSON.stringify([row.created_at, row.id]), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): { created_at: string; id: string } {
  try {
    const [created_at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof created_at === 'string' && typeof id === 'string') return { created_at, id };
  } catch {
    // falls through to the error below
  }
  throw new InvalidInputError('cursor is not one this API gave out', { field: 'cursor' });
}
