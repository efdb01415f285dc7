import { type AliasedSelectQueryBuilder, type Expression, type SqlBool, sql } from 'kysely';
import type { DbSession } from '../db/database-connection.js';
import { microsToDbText, timestampToMicros } from '../db/timestamps.js';
import { InvalidInputError } from '../errors.js';
import { RUN_STATUSES, type RunFilter, type RunStatus } from './run.types.js';
import type { RunRow } from './run-row.js';
import { FINISHED_STATES, RUN_STATES, type StaleThresholds } from './run-status.js';

export type RunsSession = DbSession & { schema: { runs: NonNullable<DbSession['schema']['runs']> } };

export function hasRuns(session: DbSession): session is RunsSession {
  return session.schema.runs !== null;
}

/**
 * `runs` (or the pre-2.2 `job`) as a subquery with today's column names; columns an old head lacks
 * read as NULL. Both SQLite and PostgreSQL flatten it, so `order by id desc limit n` still walks the
 * primary key backwards (checked with EXPLAIN).
 */
export function runsSource<A extends string>(
  session: RunsSession,
  alias: A,
): AliasedSelectQueryBuilder<RunRow, A> {
  const { table, columns } = session.schema.runs;
  const col = <K extends keyof RunRow>(name: K, source: string = name) =>
    (columns.has(source) ? sql<RunRow[K]>`${sql.ref(source)}` : sql<RunRow[K]>`null`).as(name);
  return session.db
    .selectFrom(table)
    .select([
      col('id'),
      col('job_name', table === 'runs' ? 'job_name' : 'job_id'),
      col('state'),
      col('started_at'),
      col('ended_at'),
      col('payload'),
      col('payload_flags'),
      col('run_id'),
      col('trigger'),
      col('last_heartbeat_at'),
    ])
    .as(alias);
}

const ref = (alias: string, column: keyof RunRow) => sql.ref(`${alias}.${column}`);

function inList(values: readonly (string | number)[]) {
  return sql.join(values.map((v) => sql.val(v)));
}

/** A row that is a run: RUNNING, SUCCESS, FAIL or DEAD (not STATE_EDIT, not IDLE). */
export function isRun(alias: string): Expression<SqlBool> {
  return sql<SqlBool>`${ref(alias, 'state')} in (${inList(RUN_STATES)})`;
}

export function isFinished(alias: string): Expression<SqlBool> {
  return sql<SqlBool>`${ref(alias, 'state')} in (${inList(FINISHED_STATES)})`;
}

export function stateIdIn(alias: string, stateIds: readonly string[]): Expression<SqlBool> {
  return sql<SqlBool>`${ref(alias, 'job_name')} in (${inList(stateIds)})`;
}

/** The SQL twin of run-status.ts: both sides use the same thresholds and the same strict `<`. */
export function statusIs(alias: string, status: RunStatus, t: StaleThresholds): Expression<SqlBool> {
  const state = ref(alias, 'state');
  const heartbeat = ref(alias, 'last_heartbeat_at');
  const started = ref(alias, 'started_at');
  const heartbeatBefore = microsToDbText(t.heartbeatBefore);
  const startedBefore = microsToDbText(t.startedBefore);
  switch (status) {
    case 'success':
      return sql<SqlBool>`${state} = 'SUCCESS'`;
    case 'failed':
      return sql<SqlBool>`${state} in ('FAIL', 'DEAD')`;
    case 'stale':
      return sql<SqlBool>`(${state} = 'RUNNING' and ((${heartbeat} is not null and ${heartbeat} < ${heartbeatBefore})
        or (${heartbeat} is null and ${started} < ${startedBefore})))`;
    case 'running':
      return sql<SqlBool>`(${state} = 'RUNNING' and ((${heartbeat} is not null and ${heartbeat} >= ${heartbeatBefore})
        or (${heartbeat} is null and (${started} is null or ${started} >= ${startedBefore}))))`;
  }
}

/** Validates a RunFilter and turns it into conditions on `alias` (always including isRun). */
export function filterConditions(
  alias: string,
  filter: RunFilter,
  t: StaleThresholds,
): Expression<SqlBool>[] {
  const conditions = [isRun(alias)];
  const stateIds = filter.state_ids ?? [];
  if (!Array.isArray(stateIds) || stateIds.some((s) => typeof s !== 'string')) {
    throw new InvalidInputError('state_ids must be a list of strings');
  }
  if (stateIds.length > 0) conditions.push(stateIdIn(alias, [...new Set(stateIds)]));
  const statuses = filter.statuses ?? [];
  const unknown = Array.isArray(statuses) ? statuses.filter((s) => !RUN_STATUSES.includes(s)) : [statuses];
  if (unknown.length > 0) {
    throw new InvalidInputError(`Unknown run status ${unknown.map((s) => `'${String(s)}'`).join(', ')}`, {
      allowed: RUN_STATUSES,
    });
  }
  const distinct = [...new Set(statuses)];
  if (distinct.length > 0 && distinct.length < RUN_STATUSES.length) {
    const parts = distinct.map((s) => statusIs(alias, s, t));
    conditions.push(sql<SqlBool>`(${sql.join(parts, sql` or `)})`);
  }
  if (filter.trigger !== undefined) {
    if (typeof filter.trigger !== 'string') throw new InvalidInputError('trigger must be a string');
    conditions.push(sql<SqlBool>`${ref(alias, 'trigger')} = ${filter.trigger}`);
  }
  if (filter.since !== undefined) {
    conditions.push(sql<SqlBool>`${ref(alias, 'started_at')} >= ${boundary('since', filter.since)}`);
  }
  if (filter.until !== undefined) {
    conditions.push(sql<SqlBool>`${ref(alias, 'started_at')} < ${boundary('until', filter.until)}`);
  }
  return conditions;
}

/** An ISO 8601 bound in the text form Meltano stores, so SQLite compares it chronologically. */
function boundary(name: string, value: unknown): string {
  const micros = typeof value === 'string' ? timestampToMicros(value) : null;
  if (micros === null) {
    throw new InvalidInputError(`${name} must be an ISO 8601 timestamp, e.g. 2026-11-21T04:39:06Z`, {
      [name]: value,
    });
  }
  return microsToDbText(micros);
}

export function and(conditions: Expression<SqlBool>[]): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}

const CURSOR = /^[A-Za-z0-9_-]{1,24}$/;

export function encodeCursor(id: number): string {
  return Buffer.from(String(id), 'utf8').toString('base64url');
}

/** The id the next page starts below; InvalidInputError for anything this module did not produce. */
export function decodeCursor(cursor: string): number {
  const decoded = CURSOR.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  const id = /^[1-9]\d{0,15}$/.test(decoded) ? Number(decoded) : Number.NaN;
  if (!Number.isSafeInteger(id) || encodeCursor(id) !== cursor) {
    throw new InvalidInputError('Invalid cursor; pass back the next_cursor of a previous page', { cursor });
  }
  return id;
}

export function checkLimit(limit: unknown): number {
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 500) {
    throw new InvalidInputError('limit must be an integer from 1 to 500', { limit });
  }
  return limit;
}

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
