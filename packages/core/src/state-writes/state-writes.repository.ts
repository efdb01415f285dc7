import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { MeltanoSchema } from '../db/meltano-schema.js';
import { probeMeltanoSchema } from '../db/meltano-schema.js';
import type { MeltanoDatabase } from '../db/meltano-tables.js';
import type { SystemDatabase } from '../db/system-database.js';
import { dateToMicros, microsToDbText, timestampToMicros } from '../db/timestamps.js';
import { ConflictError, CoreError } from '../errors.js';
import type { PyDict } from '../plugin-settings/python-value.js';
import { pyJsonDumps } from '../plugin-settings/python-value.js';
import { isStale, staleThresholds } from '../runs/run-status.js';

/** Meltano's `Payload` flags (meltano/core/job/job.py). */
export const PAYLOAD_STATE = 1;
export const PAYLOAD_INCOMPLETE_STATE = 2;

interface StateRow {
  state_id: string;
  partial_state: string | null;
  completed_state: string | null;
  updated_at: string | null;
}

// biome-ignore lint/suspicious/noExplicitAny: Meltano's `runs` or older `job` table, chosen at run time.
type Trx = Transaction<any>;

/** One transaction over Meltano's tables, with the schema found at its alembic head. */
export interface StateWriteSession {
  readonly trx: Trx;
  readonly dialect: 'sqlite' | 'postgres';
  readonly schema: MeltanoSchema & { runs: NonNullable<MeltanoSchema['runs']> };
  readonly now: Date;
}

/**
 * Runs `fn` in one transaction. Meltano commits the runs row and the state row separately; one
 * transaction here means a failure leaves neither. Without Meltano's tables nothing is created.
 */
export async function inStateTransaction<T>(
  db: SystemDatabase,
  now: Date,
  fn: (session: StateWriteSession) => Promise<T>,
): Promise<T> {
  return db.withKysely((kysely) =>
    kysely.transaction().execute(async (trx: Trx) => {
      const schema = await probeMeltanoSchema(trx as unknown as Kysely<MeltanoDatabase>, db.kind);
      if (schema.runs === null) {
        throw new CoreError(
          'system_database_not_initialized',
          503,
          'The system database has no runs table yet; run any meltano command once to create it',
        );
      }
      return fn({ trx, dialect: db.kind, schema: { ...schema, runs: schema.runs }, now });
    }),
  );
}

const nameColumn = (s: StateWriteSession) => (s.schema.runs.table === 'runs' ? 'job_name' : 'job_id');

/** A RUNNING row of the state ID with a fresh heartbeat (Meltano's own staleness rule) refuses the edit. */
export async function refuseWhileRunning(s: StateWriteSession, stateId: string): Promise<void> {
  const columns = s.schema.runs.columns;
  const rows = (await s.trx
    .selectFrom(s.schema.runs.table)
    .select(['id', 'started_at', ...(columns.has('last_heartbeat_at') ? ['last_heartbeat_at'] : [])])
    .where(nameColumn(s), '=', stateId)
    .where('state', '=', 'RUNNING')
    .execute()) as { id: number; started_at: unknown; last_heartbeat_at?: unknown }[];
  const thresholds = staleThresholds(dateToMicros(s.now));
  for (const row of rows) {
    const run = {
      lastHeartbeatAt: timestampToMicros(row.last_heartbeat_at ?? null),
      startedAt: timestampToMicros(row.started_at),
    };
    if (!isStale(run, thresholds)) {
      throw new ConflictError(
        'state_id_running',
        `A run of '${stateId}' is running (run #${row.id}); its state cannot be changed until it ends. Wait for it or cancel it.`,
        { run_id: row.id },
      );
    }
  }
}

/** The `runs` row `StateService.add_state` saves: STATE_EDIT, started_at = ended_at = now (naive UTC). */
export async function insertStateEditRow(
  s: StateWriteSession,
  stateId: string,
  payload: PyDict,
  payloadFlags: number,
): Promise<{ id: number; run_id: string }> {
  const columns = s.schema.runs.columns;
  const now = microsToDbText(dateToMicros(s.now));
  const hex = uuid7Hex(s.now);
  const row: Record<string, unknown> = {
    [nameColumn(s)]: stateId,
    state: 'STATE_EDIT',
    started_at: now,
    ended_at: now,
    payload: pyJsonDumps(payload),
    payload_flags: payloadFlags,
  };
  if (columns.has('run_id')) row.run_id = s.dialect === 'postgres' ? dashed(hex) : hex;
  if (columns.has('trigger')) row.trigger = 'ui';
  const inserted = (await s.trx
    .insertInto(s.schema.runs.table)
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow()) as { id: number | bigint };
  return { id: Number(inserted.id), run_id: dashed(hex) };
}

export async function readStateRow(s: StateWriteSession, stateId: string): Promise<StateRow | undefined> {
  return (await s.trx.selectFrom('state').selectAll().where('state_id', '=', stateId).executeTakeFirst()) as
    | StateRow
    | undefined;
}

/**
 * `DBStateStoreManager.set`: the old row is deleted and a new one added in one flush, which SQLAlchemy
 * turns into an UPDATE of the same row (so `updated_at` gets `datetime.now()`, the host's local time);
 * without an old row it is an INSERT and `updated_at` stays NULL, as the fixtures show.
 */
export async function replaceStateRow(
  s: StateWriteSession,
  existing: StateRow | undefined,
  row: { state_id: string; partial_state: string | null; completed_state?: string | null },
): Promise<void> {
  if (existing) {
    const set: Record<string, unknown> = {
      partial_state: row.partial_state,
      updated_at: localNaiveTimestamp(s.now),
    };
    if (row.completed_state !== undefined) set.completed_state = row.completed_state;
    await s.trx.updateTable('state').set(set).where('state_id', '=', row.state_id).execute();
    return;
  }
  await s.trx
    .insertInto('state')
    .values({
      state_id: row.state_id,
      partial_state: row.partial_state,
      completed_state: row.completed_state ?? null,
      updated_at: null,
    })
    .execute();
}

/** `DBStateStoreManager.clear`: the row goes; true when there was one. */
export async function deleteStateRow(s: StateWriteSession, stateId: string): Promise<boolean> {
  const result = await s.trx.deleteFrom('state').where('state_id', '=', stateId).executeTakeFirst();
  return BigInt(result.numDeletedRows) > 0n;
}

/**
 * Before Meltano 2.7 (no `state` table) the state was read from the run history: the payload of the
 * latest finished complete-state row, then the partial payloads since, merged (`JobState.from_job_history`).
 */
export async function stateHistoryRows(
  s: StateWriteSession,
  stateId: string,
): Promise<{ payload: string | null; payload_flags: number | null; ended_at: unknown }[]> {
  return (await s.trx
    .selectFrom(s.schema.runs.table)
    .select(['payload', 'payload_flags', 'ended_at'])
    .where(nameColumn(s), '=', stateId)
    .where('payload_flags', '!=', 0)
    .where('ended_at', 'is not', null)
    .orderBy('ended_at', 'asc')
    .orderBy('id', 'asc')
    .execute()) as { payload: string | null; payload_flags: number | null; ended_at: unknown }[];
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** `datetime.now()` of this host, naive: what the CLI writes to `state.updated_at`. */
export function localNaiveTimestamp(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}000`
  );
}

/** UUIDv7 as 32 hex digits, as Meltano 3.9+ generates run IDs. */
function uuid7Hex(date: Date): string {
  const bytes = randomBytes(16);
  let ms = BigInt(date.getTime());
  for (let i = 5; i >= 0; i--) {
    bytes[i] = Number(ms & 0xffn);
    ms >>= 8n;
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x70;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  return bytes.toString('hex');
}

const dashed = (hex: string) =>
  `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
