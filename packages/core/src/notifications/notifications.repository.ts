import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { InvalidInputError } from '../errors.js';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import type {
  ChannelKind,
  DeliveryStatus,
  NotificationContent,
  NotificationEvent,
} from './notification.types.js';

/** Row types of ui-db/migrations/0009-create-ui-notifications.ts. */
export interface UiNotificationChannelsTable {
  id: string;
  kind: string;
  name: string;
  /** JSON: the fields that may be shown. */
  config: string;
  /** secret-box.ts ciphertext of the secret fields; null: none set. */
  secret: string | null;
  created_at: string;
  updated_at: string;
}

export interface UiNotificationRulesTable {
  id: string;
  channel_id: string;
  /** JSON list of NotificationEvent. */
  events: string;
  /** JSON list of names; null: every pipeline. */
  pipelines: string | null;
  enabled: number;
  created_at: string;
}

export interface UiNotificationDeliveriesTable {
  id: string;
  rule_key: string;
  event_key: string;
  rule_id: string | null;
  channel_id: string | null;
  event: string;
  pipeline: string | null;
  run_id: number | null;
  /** JSON: StoredPayload. */
  payload: string;
  status: string;
  attempts: number;
  last_error: string | null;
  response_code: number | null;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_token: string | null;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

interface NotificationsDatabase {
  ui_notification_channels: UiNotificationChannelsTable;
  ui_notification_rules: UiNotificationRulesTable;
  ui_notification_deliveries: UiNotificationDeliveriesTable;
}

export interface StoredChannel {
  id: string;
  kind: ChannelKind;
  name: string;
  shown: Record<string, unknown>;
  sealed: string | null;
  created_at: string;
  updated_at: string;
}

export interface StoredRule {
  id: string;
  channel_id: string;
  events: NotificationEvent[];
  pipelines: string[] | null;
  enabled: boolean;
  created_at: string;
}

/** What a delivery sends: the message, and for ui.notification's email the recipients found at claim time. */
export interface StoredPayload {
  content: NotificationContent;
  recipients?: string[];
}

export interface StoredDelivery {
  id: string;
  rule_key: string;
  event_key: string;
  rule_id: string | null;
  channel_id: string | null;
  event: string;
  pipeline: string | null;
  run_id: number | null;
  payload: StoredPayload;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  response_code: number | null;
  next_attempt_at: string | null;
  lease_owner: string | null;
  lease_token: string | null;
  lease_until: string | null;
  created_at: string;
  updated_at: string;
  delivered_at: string | null;
}

/** A claim to insert: the unique (rule_key, event_key) decides which replica sends it. */
export interface NewClaim {
  rule_key: string;
  event_key: string;
  rule_id: string | null;
  channel_id: string | null;
  event: NotificationEvent | 'test';
  pipeline: string | null;
  run_id: number | null;
  payload: StoredPayload;
}

/** A claim this replica holds: only it may record the outcome (compare-and-set on the token). */
export interface Lease {
  delivery: StoredDelivery;
  token: string;
}

export interface AttemptOutcome {
  ok: boolean;
  response_code: number | null;
  error: string | null;
  /** Null: no further attempt (delivered, or attempts used up). */
  next_attempt_at: string | null;
}

// SQLite's IN list and PostgreSQL's bind parameters both have limits.
const KEY_BATCH = 400;
const MAX_ERROR_LENGTH = 2000;

export function createNotificationsRepository(tables: UiTables, now: () => Date = () => new Date()) {
  const withDb = <T>(fn: (db: Kysely<NotificationsDatabase>) => Promise<T>) =>
    tables.with((db) => fn(db as Kysely<NotificationsDatabase>));
  const stamp = () => now().toISOString();

  return {
    /**
     * False while a SQLite system DB does not exist yet: the notifier must not create the file just to
     * find no rules in it (a project that never ran anything starts read-only).
     */
    async available(): Promise<boolean> {
      return tables.kind !== 'sqlite' || (await tables.databaseExists());
    },

    async listChannels(): Promise<StoredChannel[]> {
      const rows = await withDb((db) =>
        db.selectFrom('ui_notification_channels').selectAll().orderBy('created_at').orderBy('id').execute(),
      );
      return rows.map(channelFromRow);
    },

    async getChannel(id: string): Promise<StoredChannel | null> {
      const row = await withDb((db) =>
        db.selectFrom('ui_notification_channels').selectAll().where('id', '=', id).executeTakeFirst(),
      );
      return row ? channelFromRow(row) : null;
    },

    /** `seal` gets the new channel's id: the secret box binds a ciphertext to it. */
    async insertChannel(input: {
      kind: ChannelKind;
      name: string;
      shown: Record<string, unknown>;
      seal: (id: string) => string | null;
    }): Promise<StoredChannel> {
      const at = stamp();
      const id = randomUUID();
      const row: UiNotificationChannelsTable = {
        id,
        kind: input.kind,
        name: input.name,
        config: JSON.stringify(input.shown),
        secret: input.seal(id),
        created_at: at,
        updated_at: at,
      };
      await withDb((db) => db.insertInto('ui_notification_channels').values(row).execute());
      return channelFromRow(row);
    },

    async updateChannel(
      id: string,
      fields: { name: string; shown: Record<string, unknown>; sealed: string | null },
    ): Promise<StoredChannel | null> {
      await withDb((db) =>
        db
          .updateTable('ui_notification_channels')
          .set({
            name: fields.name,
            config: JSON.stringify(fields.shown),
            secret: fields.sealed,
            updated_at: stamp(),
          })
          .where('id', '=', id)
          .execute(),
      );
      return this.getChannel(id);
    },

    /** Its rules go with it (explicitly: SQLite enforces foreign keys only when asked to). */
    async deleteChannel(id: string): Promise<boolean> {
      return withDb((db) =>
        db.transaction().execute(async (trx) => {
          await trx.deleteFrom('ui_notification_rules').where('channel_id', '=', id).execute();
          const result = await trx
            .deleteFrom('ui_notification_channels')
            .where('id', '=', id)
            .executeTakeFirst();
          return Number(result.numDeletedRows) > 0;
        }),
      );
    },

    async listRules(): Promise<StoredRule[]> {
      const rows = await withDb((db) =>
        db.selectFrom('ui_notification_rules').selectAll().orderBy('created_at').orderBy('id').execute(),
      );
      return rows.map(ruleFromRow);
    },

    async getRule(id: string): Promise<StoredRule | null> {
      const row = await withDb((db) =>
        db.selectFrom('ui_notification_rules').selectAll().where('id', '=', id).executeTakeFirst(),
      );
      return row ? ruleFromRow(row) : null;
    },

    async insertRule(input: Omit<StoredRule, 'id' | 'created_at'>): Promise<StoredRule> {
      const row: UiNotificationRulesTable = {
        id: randomUUID(),
        channel_id: input.channel_id,
        events: JSON.stringify(input.events),
        pipelines: input.pipelines === null ? null : JSON.stringify(input.pipelines),
        enabled: input.enabled ? 1 : 0,
        created_at: stamp(),
      };
      await withDb((db) => db.insertInto('ui_notification_rules').values(row).execute());
      return ruleFromRow(row);
    },

    async updateRule(
      id: string,
      fields: Pick<StoredRule, 'events' | 'pipelines' | 'enabled'>,
    ): Promise<StoredRule | null> {
      await withDb((db) =>
        db
          .updateTable('ui_notification_rules')
          .set({
            events: JSON.stringify(fields.events),
            pipelines: fields.pipelines === null ? null : JSON.stringify(fields.pipelines),
            enabled: fields.enabled ? 1 : 0,
          })
          .where('id', '=', id)
          .execute(),
      );
      return this.getRule(id);
    },

    async deleteRule(id: string): Promise<boolean> {
      const result = await withDb((db) =>
        db.deleteFrom('ui_notification_rules').where('id', '=', id).executeTakeFirst(),
      );
      return Number(result.numDeletedRows) > 0;
    },

    /** Which of these (rule key, event key) pairs are claimed already. */
    async claimedKeys(pairs: readonly { rule_key: string; event_key: string }[]): Promise<Set<string>> {
      const found = new Set<string>();
      const byRule = new Map<string, string[]>();
      for (const p of pairs) byRule.set(p.rule_key, [...(byRule.get(p.rule_key) ?? []), p.event_key]);
      for (const [ruleKey, eventKeys] of byRule) {
        for (let i = 0; i < eventKeys.length; i += KEY_BATCH) {
          const rows = await withDb((db) =>
            db
              .selectFrom('ui_notification_deliveries')
              .select('event_key')
              .where('rule_key', '=', ruleKey)
              .where('event_key', 'in', eventKeys.slice(i, i + KEY_BATCH))
              .execute(),
          );
          for (const row of rows) found.add(claimKey(ruleKey, row.event_key));
        }
      }
      return found;
    },

    /**
     * Insert-or-ignore on (rule_key, event_key): the lease when this call inserted the row, null when
     * another replica (or an earlier poll) had already.
     */
    async claim(claim: NewClaim, owner: string, leaseMs: number): Promise<Lease | null> {
      const at = now();
      const token = randomUUID();
      const row: UiNotificationDeliveriesTable = {
        id: randomUUID(),
        rule_key: claim.rule_key,
        event_key: claim.event_key,
        rule_id: claim.rule_id,
        channel_id: claim.channel_id,
        event: claim.event,
        pipeline: claim.pipeline,
        run_id: claim.run_id,
        payload: JSON.stringify(claim.payload),
        status: 'sending',
        attempts: 0,
        last_error: null,
        response_code: null,
        next_attempt_at: at.toISOString(),
        lease_owner: owner,
        lease_token: token,
        lease_until: new Date(at.getTime() + leaseMs).toISOString(),
        created_at: at.toISOString(),
        updated_at: at.toISOString(),
        delivered_at: null,
      };
      const result = await withDb((db) =>
        db
          .insertInto('ui_notification_deliveries')
          .values(row)
          .onConflict((oc) => oc.columns(['rule_key', 'event_key']).doNothing())
          .executeTakeFirst(),
      );
      const inserted = Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
      return inserted ? { delivery: deliveryFromRow(row), token } : null;
    },

    /**
     * Leases the deliveries that are due: retries whose time has come, and sends whose lease ran out
     * (the replica died mid-send). Each is taken by a compare-and-set on its token, so of two replicas
     * asking at once only one gets a row.
     */
    async leaseDue(owner: string, leaseMs: number, limit: number): Promise<Lease[]> {
      const at = now().toISOString();
      const candidates = await withDb((db) =>
        db
          .selectFrom('ui_notification_deliveries')
          .selectAll()
          .where((eb) =>
            eb.or([
              eb.and([eb('status', '=', 'retrying'), eb('next_attempt_at', '<=', at)]),
              eb.and([eb('status', '=', 'sending'), eb('lease_until', '<', at)]),
            ]),
          )
          .orderBy('next_attempt_at')
          .limit(limit)
          .execute(),
      );
      const leases: Lease[] = [];
      for (const row of candidates) {
        const token = randomUUID();
        const leaseUntil = new Date(now().getTime() + leaseMs).toISOString();
        const result = await withDb((db) => {
          let update = db
            .updateTable('ui_notification_deliveries')
            .set({
              status: 'sending',
              lease_owner: owner,
              lease_token: token,
              lease_until: leaseUntil,
              updated_at: at,
            })
            .where('id', '=', row.id)
            .where('status', '=', row.status);
          update =
            row.lease_token === null
              ? update.where('lease_token', 'is', null)
              : update.where('lease_token', '=', row.lease_token);
          return update.executeTakeFirst();
        });
        if (Number(result.numUpdatedRows) === 1) {
          leases.push({
            delivery: deliveryFromRow({
              ...row,
              status: 'sending',
              lease_owner: owner,
              lease_token: token,
              lease_until: leaseUntil,
            }),
            token,
          });
        }
      }
      return leases;
    },

    /** Records an attempt; false when the lease was lost meanwhile (another replica took the row over). */
    async recordAttempt(lease: Lease, outcome: AttemptOutcome): Promise<boolean> {
      const at = stamp();
      const status: DeliveryStatus = outcome.ok
        ? 'delivered'
        : outcome.next_attempt_at === null
          ? 'failed'
          : 'retrying';
      const result = await withDb((db) =>
        db
          .updateTable('ui_notification_deliveries')
          .set({
            status,
            attempts: lease.delivery.attempts + 1,
            last_error: outcome.error === null ? null : outcome.error.slice(0, MAX_ERROR_LENGTH),
            response_code: outcome.response_code,
            next_attempt_at: outcome.next_attempt_at,
            lease_owner: null,
            lease_token: null,
            lease_until: null,
            updated_at: at,
            delivered_at: outcome.ok ? at : null,
          })
          .where('id', '=', lease.delivery.id)
          .where('lease_token', '=', lease.token)
          .executeTakeFirst(),
      );
      return Number(result.numUpdatedRows) === 1;
    },

    async getDelivery(id: string): Promise<StoredDelivery | null> {
      const row = await withDb((db) =>
        db.selectFrom('ui_notification_deliveries').selectAll().where('id', '=', id).executeTakeFirst(),
      );
      return row ? deliveryFromRow(row) : null;
    },

    /** Newest first; `before` is a cursor from an earlier page. */
    async listDeliveries(opts: {
      limit: number;
      before: { created_at: string; id: string } | null;
      status?: DeliveryStatus;
      channelId?: string;
    }): Promise<StoredDelivery[]> {
      const rows = await withDb((db) => {
        let query = db.selectFrom('ui_notification_deliveries').selectAll();
        if (opts.status) query = query.where('status', '=', opts.status);
        if (opts.channelId) query = query.where('channel_id', '=', opts.channelId);
        const before = opts.before;
        if (before) {
          query = query.where((eb) =>
            eb.or([
              eb('created_at', '<', before.created_at),
              eb.and([eb('created_at', '=', before.created_at), eb('id', '<', before.id)]),
            ]),
          );
        }
        return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(opts.limit).execute();
      });
      return rows.map(deliveryFromRow);
    },
  };
}
export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>;

export function claimKey(ruleKey: string, eventKey: string): string {
  return `${ruleKey}\u0000${eventKey}`;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new InvalidInputError(`A stored notification ${what} is not valid JSON`);
  }
}

function channelFromRow(row: UiNotificationChannelsTable): StoredChannel {
  return {
    id: row.id,
    kind: row.kind as ChannelKind,
    name: row.name,
    shown: parseJson(row.config, 'channel') as Record<string, unknown>,
    sealed: row.secret,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function ruleFromRow(row: UiNotificationRulesTable): StoredRule {
  return {
    id: row.id,
    channel_id: row.channel_id,
    events: parseJson(row.events, 'rule') as NotificationEvent[],
    pipelines: row.pipelines === null ? null : (parseJson(row.pipelines, 'rule') as string[]),
    enabled: Number(row.enabled) === 1,
    created_at: row.created_at,
  };
}

function deliveryFromRow(row: UiNotificationDeliveriesTable): StoredDelivery {
  return {
    ...row,
    run_id: row.run_id === null ? null : Number(row.run_id),
    attempts: Number(row.attempts),
    response_code: row.response_code === null ? null : Number(row.response_code),
    status: row.status as DeliveryStatus,
    payload: parseJson(row.payload, 'delivery') as StoredPayload,
  };
}
