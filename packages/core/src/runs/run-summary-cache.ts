import { setImmediate as nextTurn } from 'node:timers/promises';
import { dateToMicros } from '../db/timestamps.js';
import { DatabaseUnavailableError, InvalidInputError } from '../errors.js';
import type { RunStats, RunView, StateIdSummary } from './run.types.js';
import { toRunView } from './run-row.js';
import type { RunScanRepository } from './run-scan.repository.js';
import { staleThresholds } from './run-status.js';
import {
  GAP_WINDOW,
  type RecentRun,
  RunSummaryIndex,
  type StateIdRuns,
  SUMMARY_RECENT_RUNS,
} from './run-summary-index.js';

export interface StateIdRunSummary {
  state_id: string;
  /** Runs of this state ID (STATE_EDIT rows excluded), RUNNING ones included. */
  run_count: number;
  /** Finished runs only, as RunsRepository.stats. */
  stats: RunStats;
  /** The last runs, newest first, at most SUMMARY_RECENT_RUNS. Finished runs' views are shared: frozen. */
  recent: RunView[];
}

export interface RunSummaryCacheOptions {
  /** The clock that decides staleness and heartbeat ages, applied when a summary is read. */
  now: () => Date;
  /** Heads per query in a pass; the event loop runs between queries (better-sqlite3 blocks it during one). */
  batchSize?: number;
  /**
   * A first pass counts rows up to this many ids below the highest through the UI's indexes
   * (RunScanRepository.seed) and reads only the rest as heads; 0 reads every head. Default GAP_WINDOW:
   * ids that close to the top may still be filled in (PostgreSQL), which only a heads read notices.
   */
  seedMargin?: number;
}

const DEFAULT_BATCH = 5000;
/** Ids per full-row fetch: one `in (…)` list, far below either database's parameter limit. */
const FETCH_BATCH = 500;
/** A database swapped again while it is being read afresh: give up for this call rather than spin. */
const MAX_REBUILDS = 3;

interface Waiter {
  read(index: RunSummaryIndex | null): unknown;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Per-state-ID run summaries kept in memory, so the pipeline pages do not scan `runs` on every
 * request. The first sync counts the rows through the UI's indexes on `runs` (runs-indexes.ts; all but
 * the newest GAP_WINDOW ids), or without them reads every row's id, state ID and state in batches,
 * then the full rows of the runs kept; each later sync reads only rows above the highest
 * id seen, plus the rows that were RUNNING (the only rows Meltano updates) and recent gaps. A SQLite
 * file replaced (new inode), or a highest row that changed or vanished (a database restored,
 * re-created or swapped), makes it start over.
 *
 * Every read syncs first, so answers are as fresh as a direct query and a database that is down fails
 * the call with DatabaseUnavailableError. Staleness is computed when a summary is read, from `now`.
 */
export class RunSummaryCache {
  readonly #scan: RunScanRepository;
  readonly #now: () => Date;
  readonly #batchSize: number;
  readonly #seedMargin: number;
  #index: RunSummaryIndex | null = null;
  #passes = 0;
  #seeded = 0;
  #syncing = false;
  /** Callers for the next sync. */
  #waiters: Waiter[] = [];

  constructor(scan: RunScanRepository, opts: RunSummaryCacheOptions) {
    this.#scan = scan;
    this.#now = opts.now;
    this.#batchSize = opts.batchSize ?? DEFAULT_BATCH;
    this.#seedMargin = opts.seedMargin ?? GAP_WINDOW;
  }

  /** Every requested state ID has an entry. */
  async summaries(stateIds: string[]): Promise<Map<string, StateIdRunSummary>> {
    const ids = uniqueStateIds(stateIds);
    return this.#afterSync((index) => {
      const view = this.#viewer();
      return new Map(ids.map((id) => [id, summaryOf(id, index?.byStateId.get(id), view)]));
    });
  }

  /** Every state ID that has runs, the most recently run first. */
  stateIdSummaries(): Promise<StateIdSummary[]> {
    return this.#afterSync((index) => {
      const view = this.#viewer();
      const summaries: StateIdSummary[] = [];
      for (const [stateId, entry] of index?.byStateId ?? []) {
        const newest = entry.recent.at(-1);
        const latest = newest ? view(newest) : null;
        if (latest !== null) summaries.push({ state_id: stateId, run_count: entry.runCount, latest });
      }
      return summaries.sort((a, b) => b.latest.id - a.latest.id);
    });
  }

  /** Brings the summary up to date; the first call (or one after a swap) reads the whole table. */
  sync(): Promise<void> {
    return this.#afterSync(() => undefined);
  }

  /**
   * What is held, for tests and diagnostics; `passes` counts first reads of the table, `seeded` those
   * of them that counted through the UI's indexes instead of reading every row.
   */
  size(): { stateIds: number; runs: number; running: number; gaps: number; passes: number; seeded: number } {
    const held = this.#index?.size() ?? { stateIds: 0, runs: 0, running: 0, gaps: 0 };
    return { ...held, passes: this.#passes, seeded: this.#seeded };
  }

  /**
   * Runs `read` at the end of a sync that starts after this call, so it sees every row committed before
   * the call. One sync at a time: callers arriving during one share the next. `read` runs before
   * anything else touches the index, never halfway through a sync.
   */
  #afterSync<T>(read: (index: RunSummaryIndex | null) => T): Promise<T> {
    const done = new Promise<T>((resolve, reject) => {
      this.#waiters.push({ read, resolve: resolve as (value: unknown) => void, reject });
    });
    this.#startSync();
    return done;
  }

  #startSync(): void {
    if (this.#syncing || this.#waiters.length === 0) return;
    this.#syncing = true;
    const waiters = this.#waiters;
    this.#waiters = [];
    this.#catchUpOrRebuild()
      .then(
        (index) => {
          for (const w of waiters) {
            try {
              w.resolve(w.read(index));
            } catch (err) {
              w.reject(err);
            }
          }
        },
        (err: unknown) => {
          for (const w of waiters) w.reject(err);
        },
      )
      .finally(() => {
        this.#syncing = false;
        this.#startSync();
      });
  }

  async #catchUpOrRebuild(): Promise<RunSummaryIndex | null> {
    for (let attempt = 0; attempt < MAX_REBUILDS; attempt++) {
      if (await this.#catchUp()) return this.#index;
      this.#index = null; // another database: forget everything and read it afresh
    }
    throw new DatabaseUnavailableError(
      'The system database kept changing while it was being read; try again',
    );
  }

  /**
   * False when the database is not the one indexed. Progress is kept query by query, so a pass cut by
   * an error resumes where it stopped.
   */
  async #catchUp(): Promise<boolean> {
    let index = this.#index;
    const anchorId = index?.anchorId ?? null;
    if (index !== null && anchorId !== null) {
      const found = await this.#scan.byIds([anchorId]);
      if (found === null) return this.#forget();
      if (found.source !== index.source || !index.isAnchor(found.rows[0])) return false;
    }
    if (index === null && this.#seedMargin > 0) {
      const seed = await this.#scan
        .seed({ margin: this.#seedMargin, keep: SUMMARY_RECENT_RUNS })
        .catch(() => null);
      const found = seed?.rows[0];
      if (seed && found) {
        index = RunSummaryIndex.fromSeed(seed.source, found);
        this.#index = index;
        this.#passes++;
        this.#seeded++;
        // The seed read its newest runs' rows already: applied as the fetch of those ids would be.
        const rows = new Map(found.recent.map((row) => [Number(row.id), row]));
        const ids = index.fetchIds(performance.now()).filter((id) => rows.has(id));
        for (let i = 0; i < ids.length; i += FETCH_BATCH) {
          const batch = ids.slice(i, i + FETCH_BATCH);
          if (
            !index.applyFetch(
              batch,
              batch.flatMap((id) => rows.get(id) ?? []),
            )
          )
            return false;
          await nextTurn();
        }
      }
    }
    for (;;) {
      const heads = await this.#scan.heads(index === null ? 0 : index.maxId + 1, this.#batchSize);
      if (heads === null) return this.#forget();
      if (index === null) {
        index = new RunSummaryIndex(heads.source);
        this.#index = index;
        this.#passes++;
      } else if (heads.source !== index.source) {
        return false;
      }
      index.addHeads(heads.rows, performance.now());
      if (heads.rows.length < this.#batchSize) break;
      await nextTurn();
    }
    const ids = index.fetchIds(performance.now());
    for (let i = 0; i < ids.length; i += FETCH_BATCH) {
      if (i > 0) await nextTurn();
      const batch = ids.slice(i, i + FETCH_BATCH);
      const fetched = await this.#scan.byIds(batch);
      if (fetched === null) return this.#forget();
      if (fetched.source !== index.source || !index.applyFetch(batch, fetched.rows)) {
        return false;
      }
    }
    return true;
  }

  /** No database or no runs table (any more): nothing to summarise. */
  #forget(): true {
    this.#index = null;
    return true;
  }

  /** Finished runs have their view already; RUNNING ones get theirs from the clock now. */
  #viewer(): (run: RecentRun) => RunView | null {
    const nowMicros = dateToMicros(this.#now());
    const thresholds = staleThresholds(nowMicros);
    return (run) => run.view ?? (run.row === null ? null : toRunView(run.row, nowMicros, thresholds));
  }
}

function summaryOf(
  stateId: string,
  entry: StateIdRuns | undefined,
  view: (run: RecentRun) => RunView | null,
): StateIdRunSummary {
  const recent: RunView[] = [];
  for (let i = (entry?.recent.length ?? 0) - 1; i >= 0; i--) {
    const kept = entry?.recent[i];
    const run = kept ? view(kept) : null;
    if (run !== null) recent.push(run);
  }
  const finished = entry?.finished ?? 0;
  const succeeded = entry?.succeeded ?? 0;
  return {
    state_id: stateId,
    run_count: entry?.runCount ?? 0,
    stats: { total: finished, succeeded, failed: finished - succeeded },
    recent,
  };
}

function uniqueStateIds(stateIds: string[]): string[] {
  if (!Array.isArray(stateIds) || stateIds.some((s) => typeof s !== 'string')) {
    throw new InvalidInputError('stateIds must be a list of strings');
  }
  return [...new Set(stateIds)];
}
