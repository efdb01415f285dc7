import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { SystemDatabase } from '../db/system-database.js';
import { ConflictError } from '../errors.js';
import { uiTables } from '../ui-db/migrate-ui-tables.js';

/**
 * The old Meltano UI's subscriptions ("Notify me" on a pipeline): who gets the `ui.notification`
 * email of a schedule's runs started from the UI. New ones go to the UI's `ui_subscriptions` table;
 * a system DB still holding Meltano 2's `subscriptions` table (Meltano 3 dropped it) has its rows
 * listed, honoured and deletable too. Only `pipeline_manual_run` on `pipeline` sources mails anyone
 * (legacy-email.ts), as in the old UI.
 */
export interface Subscription {
  /** Dashed UUID. */
  id: string;
  recipient: string;
  event_type: string;
  source_type: string | null;
  source_id: string | null;
  /** ISO 8601 UTC. */
  created_at: string;
  /** `meltano` for a row of Meltano 2's own table. */
  origin: 'ui' | 'meltano';
}

export type NewSubscription = Pick<Subscription, 'recipient' | 'event_type' | 'source_type' | 'source_id'>;

const dashed = (id: string) => {
  const hex = id.replace(/-/g, '').toLowerCase();
  return /^[0-9a-f]{32}$/.test(hex)
    ? `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
    : id;
};

/** Meltano wrote naive UTC (`2023-03-14 10:00:00.123456` in SQLite, a timestamp in PostgreSQL). */
function isoOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  const text = String(value ?? '');
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

async function meltanoTableExists(db: SystemDatabase): Promise<boolean> {
  return db.withKysely(async (k) => {
    const found =
      db.kind === 'sqlite'
        ? await sql<{
            n: number;
          }>`select count(*) as n from sqlite_master where type = 'table' and name = 'subscriptions'`.execute(
            k,
          )
        : await sql<{
            n: number;
          }>`select count(*) as n where to_regclass('subscriptions') is not null`.execute(k);
    return Number(found.rows[0]?.n ?? 0) > 0;
  });
}

type Row = Omit<Subscription, 'origin' | 'created_at'> & { created_at: unknown };

export function createSubscriptionsRepository(db: SystemDatabase, now: () => Date = () => new Date()) {
  const tables = uiTables(db);

  async function meltanoRows(): Promise<Subscription[]> {
    if (!(await meltanoTableExists(db))) return [];
    const rows = await db.withKysely(
      async (k) =>
        (
          await sql<Row>`select id, recipient, event_type, source_type, source_id, created_at from subscriptions`.execute(
            k,
          )
        ).rows,
    );
    return rows.map((r) => ({
      ...r,
      id: dashed(String(r.id)),
      created_at: isoOf(r.created_at),
      origin: 'meltano',
    }));
  }

  async function ownRows(): Promise<Subscription[]> {
    const rows = (await tables.with((k) => k.selectFrom('ui_subscriptions').selectAll().execute())) as Row[];
    return rows.map((r) => ({ ...r, created_at: String(r.created_at), origin: 'ui' }));
  }

  return {
    /** Every subscription, oldest first. */
    async list(): Promise<Subscription[]> {
      const all = [...(await meltanoRows()), ...(await ownRows())];
      return all.sort((a, b) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id));
    },

    /** ConflictError `subscription_exists` for a duplicate of recipient, event, source type and id. */
    async create(input: NewSubscription): Promise<Subscription> {
      const same = (s: Subscription) =>
        s.recipient === input.recipient &&
        s.event_type === input.event_type &&
        s.source_type === input.source_type &&
        s.source_id === input.source_id;
      const exists = () =>
        new ConflictError('subscription_exists', 'A subscription already exists for this address.');
      if ((await meltanoRows()).some(same)) throw exists();
      const row = { id: randomUUID(), ...input, created_at: now().toISOString() };
      try {
        await tables.with((k) => k.insertInto('ui_subscriptions').values(row).execute());
      } catch (err) {
        if ((await ownRows()).some(same)) throw exists();
        throw err;
      }
      return { ...row, origin: 'ui' };
    },

    /** False when no subscription has that id. */
    async remove(id: string): Promise<boolean> {
      const wanted = dashed(id);
      const own = await tables.with((k) =>
        k.deleteFrom('ui_subscriptions').where('id', '=', wanted).executeTakeFirst(),
      );
      if (Number(own.numDeletedRows) > 0) return true;
      const theirs = (await meltanoRows()).find((s) => s.id === wanted);
      if (!theirs) return false;
      const stored = db.kind === 'sqlite' ? wanted.replace(/-/g, '') : wanted;
      await db.withKysely((k) => sql`delete from subscriptions where id = ${stored}`.execute(k));
      return true;
    },
  };
}
export type SubscriptionsRepository = ReturnType<typeof createSubscriptionsRepository>;
