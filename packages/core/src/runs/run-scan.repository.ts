import { type Kysely, sql } from 'kysely';
import type { DatabaseConnection, Dialect } from '../db/database-connection.js';
import type { MeltanoDatabase } from '../db/meltano-tables.js';
import type { RunRow } from './run-row.js';
import { RUN_STATES } from './run-status.js';
import { createRunsIndexes, RUNS_INDEXES, runsIndexes } from './runs-indexes.js';
import { chunks, hasRuns, type RunsSession, runsSource } from './runs-query.js';

/** What a pass needs of every row; the full row is fetched only for the runs kept. */
export type RunHead = Pick<RunRow, 'id' | 'job_name' | 'state'>;

/** Rows of one read, with what identifies the database they came from. */
export interface RunScanResult<T> {
  rows: T[];
  /**
   * Changes when the database behind the connection may have been swapped: on SQLite the Kysely
   * instance, which the provider replaces when the file's inode changes. Null on PostgreSQL, where a
   * new pool after a lost connection says nothing about the data; the caller's anchor check covers a
   * restored or re-created database there.
   */
  source: object | null;
}

/**
 * A first pass's counts, read from the UI's indexes on `runs` (runs-indexes.ts) in one snapshot instead
 * of every row's head: RunSummaryIndex.fromSeed builds the same index a pass over every row would.
 */
export interface RunSeed {
  /** The highest id covered: a row that exists; rows above it are read as heads afterwards. */
  base: number;
  /** Rows with id ≤ base per state ID and run state (rows without a state ID left out). */
  counts: { job_name: string; state: string; n: number }[];
  /** RUNNING rows with id ≤ base. */
  running: { id: number; job_name: string }[];
  /**
   * Per state ID, its newest runs with id ≤ base (at most `keep`), full rows as byIds reads them. Read
   * after the snapshot: rows that old only ever change state, which the index applies like a fetch.
   */
  recent: RunRow[];
}

/**
 * Reads `runs` by primary key (heads, byIds) for the run summary, or through the UI's own indexes
 * (seed). Null when there is nothing
 * to read: no SQLite file or no runs table yet.
 */
export interface RunScanRepository {
  /** Every row (STATE_EDIT too) with `id >= fromId`, ascending, at most `limit`. */
  heads(fromId: number, limit: number): Promise<RunScanResult<RunHead> | null>;
  /**
   * The rows with these ids that exist, in any order; `payload` only where it may hold an error.
   * Keep `ids` short (a few hundred): one `in (…)` list.
   */
  byIds(ids: readonly number[]): Promise<RunScanResult<RunRow> | null>;
  /**
   * Null when a pass must read heads instead: no `runs` table (or Meltano's pre-2.2 `job`), at most
   * `margin` rows, or the UI's indexes missing. The first call creates missing indexes (waiting for
   * them); when that fails (no right to, a read-only file), later calls do not try again.
   */
  seed(opts: { margin: number; keep: number }): Promise<RunScanResult<RunSeed> | null>;
}

/** State IDs per `in (…)` list of RUNNING rows, and per `union all` of newest-runs lookups. */
const SEED_NAMES_PER_QUERY = 100;
/** PostgreSQL cancels a seed query past this (a huge table): the pass reads heads instead. */
const SEED_STATEMENT_TIMEOUT_MS = 3_000;

export function createRunScanRepository(conn: DatabaseConnection): RunScanRepository {
  const read = <T>(fn: (s: RunsSession) => Promise<T[]>) =>
    conn.read<RunScanResult<T> | null>(
      async (s) => (hasRuns(s) ? { rows: await fn(s), source: s.dialect === 'sqlite' ? s.db : null } : null),
      () => null,
    );
  let createIndexes = true;
  const seed = (opts: { margin: number; keep: number }) =>
    conn.read<RunScanResult<RunSeed> | 'create' | null>(
      async (s) => {
        if (!hasRuns(s) || s.schema.runs.table !== 'runs' || !s.schema.runs.columns.has('state')) {
          return null;
        }
        const existing = await runsIndexes(s.db, s.dialect);
        if (RUNS_INDEXES.every((i) => existing.get(i.name) === true)) {
          const counted = await readSeed(s.db, s.dialect, opts);
          if (counted === null) return null;
          const recent = await newestRuns(s, counted, opts.keep);
          return { rows: [{ ...counted, recent }], source: s.dialect === 'sqlite' ? s.db : null };
        }
        return createIndexes ? 'create' : null;
      },
      () => null,
    );
  return {
    async seed(opts) {
      const first = await seed(opts);
      if (first !== 'create') return first;
      createIndexes = false;
      try {
        await createRunsIndexes(
          conn,
          await conn.read(
            (s) => runsIndexes(s.db, s.dialect),
            () => new Map(),
          ),
        );
      } catch {
        return null; // the UI works without them, only slower on big tables
      }
      const again = await seed(opts);
      return again === 'create' ? null : again;
    },
    heads: (fromId, limit) =>
      read((s) =>
        s.db
          .selectFrom(runsSource(s, 'r'))
          .select(['r.id', 'r.job_name', 'r.state'])
          .where('r.id', '>=', fromId)
          .orderBy('r.id')
          .limit(limit)
          .execute(),
      ),
    byIds: (ids) =>
      ids.length === 0
        ? read(async () => [])
        : read((s) =>
            fullRows(s)
              .where('r.id', 'in', [...ids])
              .execute(),
          ),
  };
}

/**
 * Payloads carry the whole Singer state: only those that can hold an `error` key leave the database.
 * LIKE is a superset of the exact test in run-row.ts (SQLite's LIKE ignores ASCII case), so no error
 * is lost.
 */
function fullRows(s: RunsSession) {
  const payload = sql.ref('r.payload');
  return s.db
    .selectFrom(runsSource(s, 'r'))
    .select([
      'r.id',
      'r.job_name',
      'r.state',
      'r.started_at',
      'r.ended_at',
      sql<string | null>`case when ${payload} like ${'%"error"%'} then ${payload} end`.as('payload'),
      'r.payload_flags',
      'r.run_id',
      'r.trigger',
      'r.last_heartbeat_at',
    ]);
}

/** In one snapshot (a read transaction), so the counts and the RUNNING rows agree. */
async function readSeed(
  db: Kysely<MeltanoDatabase>,
  dialect: Dialect,
  opts: { margin: number },
): Promise<Omit<RunSeed, 'recent'> | null> {
  return db.connection().execute(async (c) => {
    await sql
      .raw(dialect === 'sqlite' ? 'begin' : 'begin isolation level repeatable read read only')
      .execute(c);
    try {
      if (dialect === 'postgres') {
        await sql.raw(`set local statement_timeout = ${SEED_STATEMENT_TIMEOUT_MS}`).execute(c);
      }
      const seed = await seedQueries(c, opts);
      await sql.raw('commit').execute(c);
      return seed;
    } catch (err) {
      await sql
        .raw('rollback')
        .execute(c)
        .catch(() => {});
      throw err;
    }
  });
}

async function seedQueries(
  db: Kysely<MeltanoDatabase>,
  { margin }: { margin: number },
): Promise<Omit<RunSeed, 'recent'> | null> {
  const top = (await sql<{ id: number | string | null }>`select max(id) as id from runs`.execute(db)).rows[0]
    ?.id;
  if (top === null || top === undefined || Number(top) <= margin) return null;
  const baseRow = await sql<{ id: number | string | null }>`
    select max(id) as id from runs where id <= ${Number(top) - margin}`.execute(db);
  const base = baseRow.rows[0]?.id;
  if (base === null || base === undefined) return null;
  const states = sql.join(RUN_STATES.map((state) => sql.val(state)));
  const counts = (
    await sql<{ job_name: string; state: string; n: number | string }>`
      select job_name, state, count(*) as n from runs
      where id <= ${base} and job_name is not null and state in (${states})
      group by job_name, state`.execute(db)
  ).rows.map((r) => ({ job_name: r.job_name, state: r.state, n: Number(r.n) }));
  const running: RunSeed['running'] = [];
  const withRunning = counts.filter((c) => c.state === 'RUNNING').map((c) => c.job_name);
  for (const names of chunks(withRunning, SEED_NAMES_PER_QUERY)) {
    const { rows } = await sql<{ id: number | string; job_name: string }>`
      select id, job_name from runs
      where job_name in (${sql.join(names)}) and state = 'RUNNING' and id <= ${base}`.execute(db);
    for (const r of rows) running.push({ id: Number(r.id), job_name: r.job_name });
  }
  return { base: Number(base), counts, running };
}

/**
 * One index range read backwards per state ID (ui_runs_job_name_id), SEED_NAMES_PER_QUERY of them per
 * `union all`: a round trip each would cost more than the reads (PostgreSQL).
 */
async function newestRuns(s: RunsSession, seed: Omit<RunSeed, 'recent'>, keep: number): Promise<RunRow[]> {
  const { columns } = s.schema.runs;
  const column = (name: keyof RunRow) => (columns.has(name) ? sql.ref(name) : sql`null`);
  const payload = sql`case when payload like ${'%"error"%'} then payload end`;
  const select = sql.join([
    sql`id`,
    sql`job_name`,
    sql`state`,
    sql`${column('started_at')} as started_at`,
    sql`${column('ended_at')} as ended_at`,
    sql`${columns.has('payload') ? payload : sql`null`} as payload`,
    sql`${column('payload_flags')} as payload_flags`,
    sql`${column('run_id')} as run_id`,
    sql`${column('trigger')} as ${sql.ref('trigger')}`,
    sql`${column('last_heartbeat_at')} as last_heartbeat_at`,
  ]);
  const states = sql.join(RUN_STATES.map((state) => sql.val(state)));
  const stateIds = [...new Set(seed.counts.map((c) => c.job_name))];
  const rows: RunRow[] = [];
  for (const names of chunks(stateIds, SEED_NAMES_PER_QUERY)) {
    const parts = names.map(
      (name, i) => sql`select * from (
        select ${select} from runs
        where job_name = ${name} and id <= ${seed.base} and state in (${states})
        order by id desc limit ${keep}) as ${sql.raw(`t${i}`)}`,
    );
    const found = await sql<RunRow>`${sql.join(parts, sql` union all `)}`.execute(s.db);
    rows.push(...found.rows);
  }
  return rows;
}
