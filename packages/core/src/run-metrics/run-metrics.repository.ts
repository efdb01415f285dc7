import type { Kysely } from 'kysely';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import type { RunMetricsProgress } from './read-run-metrics.js';
import type { RunMetrics, RunRecords, StreamSummary } from './run-metrics.types.js';

/** Row type of ui-db/migrations/0008-create-ui-run-metrics.ts. */
export interface UiRunMetricsTable {
  run_id: number;
  parser_version: number;
  log_offset: number | null;
  log_size: number | null;
  log_mtime: string | null;
  records_extracted: number | null;
  records_loaded: number | null;
  metrics: string;
  progress: string | null;
  run_finished: number;
  computed_at: string;
}

interface RunMetricsDatabase {
  ui_run_metrics: UiRunMetricsTable;
}

/** The log as far as it was read. */
export interface RunMetricsLog {
  /** Bytes read (whole lines); less than `size` while a last line is unfinished. */
  offset: number;
  size: number;
  mtime: string;
}

/** One run's metrics as stored: what they cover and how to go on. */
export interface StoredRunMetrics {
  run_id: number;
  /** The parser that wrote the row; a row of another version is computed again. */
  parser_version: number;
  /** Null when the run had no log when read. */
  log: RunMetricsLog | null;
  metrics: RunMetrics;
  /** Where reading stopped, to resume when the log grows; null without a log. */
  progress: RunMetricsProgress | null;
  /** The run had ended and its log was read to the end: nothing more will come. */
  run_finished: boolean;
  computed_at: string;
}

/** A row's per-stream figures (`by_stream` of its metrics), for the pipeline metrics. */
export interface StoredRunStreams {
  run_id: number;
  parser_version: number;
  run_finished: boolean;
  computed_at: string;
  by_stream: StreamSummary[];
}

/** The cheap part of a row, for lists. */
export interface StoredRunRecords extends RunRecords {
  run_id: number;
  parser_version: number;
  run_finished: boolean;
  computed_at: string;
}

// SQLite's IN list and PostgreSQL's bind parameters both have limits; pages are far smaller.
const SELECT_BATCH = 500;

export function createRunMetricsRepository(tables: UiTables) {
  const withDb = <T>(fn: (db: Kysely<RunMetricsDatabase>) => Promise<T>) =>
    tables.with((db) => fn(db as Kysely<RunMetricsDatabase>));
  const absent = async () => tables.kind === 'sqlite' && !(await tables.databaseExists());
  return {
    async get(runId: number): Promise<StoredRunMetrics | null> {
      if (await absent()) return null;
      const row = await withDb((db) =>
        db.selectFrom('ui_run_metrics').selectAll().where('run_id', '=', runId).executeTakeFirst(),
      );
      return row ? fromRow(row) : null;
    },
    /** Record totals of many runs in one query per 500 ids; the JSON columns are not read. */
    async records(runIds: readonly number[]): Promise<StoredRunRecords[]> {
      if (runIds.length === 0 || (await absent())) return [];
      const found: StoredRunRecords[] = [];
      for (let i = 0; i < runIds.length; i += SELECT_BATCH) {
        const rows = await withDb((db) =>
          db
            .selectFrom('ui_run_metrics')
            .select([
              'run_id',
              'parser_version',
              'records_extracted',
              'records_loaded',
              'run_finished',
              'computed_at',
            ])
            .where('run_id', 'in', runIds.slice(i, i + SELECT_BATCH))
            .execute(),
        );
        for (const row of rows) {
          found.push({
            run_id: Number(row.run_id),
            parser_version: Number(row.parser_version),
            records_extracted: numberOrNull(row.records_extracted),
            records_loaded: numberOrNull(row.records_loaded),
            run_finished: Number(row.run_finished) === 1,
            computed_at: row.computed_at,
          });
        }
      }
      return found;
    },
    /** Per-stream figures of many runs in one query per 500 ids (the metrics JSON is parsed). */
    async streams(runIds: readonly number[]): Promise<StoredRunStreams[]> {
      if (runIds.length === 0 || (await absent())) return [];
      const found: StoredRunStreams[] = [];
      for (let i = 0; i < runIds.length; i += SELECT_BATCH) {
        const rows = await withDb((db) =>
          db
            .selectFrom('ui_run_metrics')
            .select(['run_id', 'parser_version', 'run_finished', 'computed_at', 'metrics'])
            .where('run_id', 'in', runIds.slice(i, i + SELECT_BATCH))
            .execute(),
        );
        for (const row of rows) {
          found.push({
            run_id: Number(row.run_id),
            parser_version: Number(row.parser_version),
            run_finished: Number(row.run_finished) === 1,
            computed_at: row.computed_at,
            by_stream: (JSON.parse(row.metrics) as RunMetrics).by_stream ?? [],
          });
        }
      }
      return found;
    },
    async put(stored: StoredRunMetrics): Promise<void> {
      const row: UiRunMetricsTable = {
        run_id: stored.run_id,
        parser_version: stored.parser_version,
        log_offset: stored.log?.offset ?? null,
        log_size: stored.log?.size ?? null,
        log_mtime: stored.log?.mtime ?? null,
        records_extracted: wholeOrNull(stored.metrics.records_extracted),
        records_loaded: wholeOrNull(stored.metrics.records_loaded),
        metrics: JSON.stringify(stored.metrics),
        progress: stored.progress === null ? null : JSON.stringify(stored.progress),
        run_finished: stored.run_finished ? 1 : 0,
        computed_at: stored.computed_at,
      };
      const { run_id: _key, ...update } = row;
      // Last writer wins: every row is one whole read (metrics, offset and progress together), so a
      // replica writing an older one only makes the next read resume from further back.
      await withDb((db) =>
        db
          .insertInto('ui_run_metrics')
          .values(row)
          .onConflict((oc) => oc.column('run_id').doUpdateSet(update))
          .execute(),
      );
    },
  };
}
export type RunMetricsRepository = ReturnType<typeof createRunMetricsRepository>;

function fromRow(row: UiRunMetricsTable): StoredRunMetrics {
  const offset = numberOrNull(row.log_offset);
  const size = numberOrNull(row.log_size);
  return {
    run_id: Number(row.run_id),
    parser_version: Number(row.parser_version),
    log:
      offset === null || size === null || row.log_mtime === null
        ? null
        : { offset, size, mtime: row.log_mtime },
    metrics: JSON.parse(row.metrics) as RunMetrics,
    progress: row.progress === null ? null : (JSON.parse(row.progress) as RunMetricsProgress),
    run_finished: Number(row.run_finished) === 1,
    computed_at: row.computed_at,
  };
}

// A counter is an integer by the Singer spec, but a plugin may log `12.0`; bigint takes whole numbers.
function wholeOrNull(value: number | null): number | null {
  return value === null ? null : Math.round(value);
}

// PostgreSQL returns bigint as a string.
function numberOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}
