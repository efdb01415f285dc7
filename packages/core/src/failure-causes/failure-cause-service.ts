import { stat } from 'node:fs/promises';
import { findRunLog } from '../logs/find-run-log.js';
import type { LogRoot } from '../logs/log-roots.js';
import { openLogFile } from '../logs/open-log-file.js';
import type { RunView } from '../runs/run.types.js';
import type { FailureCause } from './failure-cause.js';
import type { FailureCausesRepository, StoredFailureCause } from './failure-causes.repository.js';
import { readFailureCause } from './read-failure-cause.js';

export interface FailureCauseServiceOptions {
  repo: FailureCausesRepository;
  roots: LogRoot[];
  /** Plugin name → type (`extractor`, …) from the project, for v4 logs. */
  pluginTypes?: () => Promise<ReadonlyMap<string, string>>;
  /** Logs read at the same time in the background. Default 2. */
  concurrency?: number;
  /** Causes kept in memory. Default 5000. */
  maxEntries?: number;
  /** How often a cached cause's log is checked for growth (a stat). Default 60 s. */
  revalidateMs?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

interface Entry {
  stored: StoredFailureCause;
  checkedAt: number;
  /** The log had not changed for SETTLED_MS when last checked: its writer is gone, stop checking. */
  settled: boolean;
}

// Meltano updates the runs row before it writes its last lines (its own traceback, "Need help…"),
// and a run presumed dead may still be writing: a cause read right after the row turned FAIL can be
// early. A log untouched this long is done.
const SETTLED_MS = 10 * 60 * 1000;
const MAX_QUEUED = 10_000;

/**
 * The failure cause of each failed run, read once from its log and cached in memory and in the
 * `ui_run_failure_causes` table (shared by replicas and restarts). Memory answers the polled
 * pipelines list without a query per poll; the table means each log is read once, not once per
 * replica or restart. Lists only read the cache and queue the runs they miss for a bounded
 * background pool, so a request never waits for logs; one run's page computes its own at once.
 */
export class FailureCauseService {
  /** Logs read (tail reads), for tests and metrics. */
  logReads = 0;
  private readonly memory = new Map<number, Entry>();
  private readonly queue = new Map<number, RunView>();
  private readonly inflight = new Map<number, Promise<FailureCause | null>>();
  private running = 0;
  /** Table writes, one at a time (see persist). */
  private writes: Promise<void> = Promise.resolve();
  private idleWaiters: (() => void)[] = [];
  private readonly concurrency: number;
  private readonly maxEntries: number;
  private readonly revalidateMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: FailureCauseServiceOptions) {
    this.concurrency = opts.concurrency ?? 2;
    this.maxEntries = opts.maxEntries ?? 5000;
    this.revalidateMs = opts.revalidateMs ?? 60_000;
    this.now = opts.now ?? Date.now;
  }

  /**
   * The causes already known for these runs (only failed runs have one). Runs not known yet, or
   * whose log may have grown, are queued; they are in the answer to a later request.
   */
  async known(runs: readonly RunView[]): Promise<Map<number, FailureCause | null>> {
    const failed = runs.filter((r) => r.status === 'failed');
    const missing = failed.filter((r) => !this.memory.has(r.id));
    if (missing.length > 0) await this.loadStored(missing.map((r) => r.id));
    const found = new Map<number, FailureCause | null>();
    for (const run of failed) {
      const entry = this.touch(run.id);
      if (entry) found.set(run.id, entry.stored.cause);
      if (!entry || this.due(entry)) this.enqueue(run);
    }
    return found;
  }

  /** One run's cause, read from its log now when it is not known yet. */
  async of(run: RunView): Promise<FailureCause | null> {
    if (run.status !== 'failed') return null;
    if (!this.memory.has(run.id)) await this.loadStored([run.id]);
    const entry = this.touch(run.id);
    if (entry) {
      if (this.due(entry)) this.enqueue(run);
      return entry.stored.cause;
    }
    return this.compute(run);
  }

  /** What the shared table holds for these runs, memory aside (diagnostics, tests). */
  stored(runIds: number[]): Promise<StoredFailureCause[]> {
    return this.opts.repo.getMany(runIds);
  }

  /** Resolves once nothing is queued, running or being written (tests, shutdown). */
  async idle(): Promise<void> {
    if (this.running !== 0 || this.queue.size !== 0) {
      await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    }
    await this.writes;
  }

  /**
   * Stores a cause in the table, after the writes before it. It is a cache: nobody waits for it, and
   * one write at a time means a locked SQLite file (Meltano writing) holds one pooled connection
   * waiting, not one per background reader, so the requests reading meanwhile still get theirs.
   */
  private persist(stored: StoredFailureCause): void {
    this.writes = this.writes
      .then(() => this.opts.repo.put(stored))
      .catch((err: unknown) => this.opts.onError?.(err));
  }

  private async loadStored(runIds: number[]): Promise<void> {
    let rows: StoredFailureCause[];
    try {
      rows = await this.opts.repo.getMany(runIds);
    } catch (err) {
      // A read-only or unreachable UI table: memory alone still saves re-reading the logs.
      this.opts.onError?.(err);
      return;
    }
    for (const stored of rows) this.remember(stored, 0);
  }

  private touch(runId: number): Entry | undefined {
    const entry = this.memory.get(runId);
    if (entry) {
      // Re-inserting keeps the Map in least-recently-used order.
      this.memory.delete(runId);
      this.memory.set(runId, entry);
    }
    return entry;
  }

  private remember(stored: StoredFailureCause, checkedAt: number, settled = false): void {
    this.memory.delete(stored.run_id);
    this.memory.set(stored.run_id, { stored, checkedAt, settled });
    while (this.memory.size > this.maxEntries) {
      const oldest = this.memory.keys().next().value;
      if (oldest === undefined) break;
      this.memory.delete(oldest);
    }
  }

  private due(entry: Entry): boolean {
    return !entry.settled && this.now() - entry.checkedAt >= this.revalidateMs;
  }

  private enqueue(run: RunView): void {
    if (this.queue.has(run.id) || this.inflight.has(run.id) || this.queue.size >= MAX_QUEUED) return;
    this.queue.set(run.id, run);
    this.pump();
  }

  private pump(): void {
    while (this.running < this.concurrency && this.queue.size > 0) {
      const [id, run] = this.queue.entries().next().value as [number, RunView];
      this.queue.delete(id);
      this.running += 1;
      void this.refresh(run)
        .catch((err: unknown) => this.opts.onError?.(err))
        .finally(() => {
          this.running -= 1;
          this.pump();
          if (this.running === 0 && this.queue.size === 0) {
            for (const resolve of this.idleWaiters.splice(0)) resolve();
          }
        });
    }
  }

  /** Reads the log again only when it changed since the cached cause was read from it. */
  private async refresh(run: RunView): Promise<void> {
    const entry = this.memory.get(run.id);
    if (!entry) {
      await this.compute(run);
      return;
    }
    const log = await this.logOf(run);
    const stat = log === null ? null : await statOf(log);
    const same =
      (stat?.size ?? null) === entry.stored.log_size && (stat?.mtime ?? null) === entry.stored.log_mtime;
    if (!same) {
      await this.compute(run);
      return;
    }
    const settled = stat === null || this.now() - Date.parse(stat.mtime) >= SETTLED_MS;
    this.remember(entry.stored, this.now(), settled);
  }

  private compute(run: RunView): Promise<FailureCause | null> {
    const running = this.inflight.get(run.id);
    if (running) return running;
    const work = this.read(run).finally(() => this.inflight.delete(run.id));
    this.inflight.set(run.id, work);
    return work;
  }

  private async read(run: RunView): Promise<FailureCause | null> {
    const fromRow = runRowCause(run);
    const file = await this.logOf(run);
    let stored: StoredFailureCause = { run_id: run.id, cause: fromRow, log_size: null, log_mtime: null };
    let settled = true;
    if (file !== null) {
      const handle = await openLogFile(file, this.opts.roots).catch(() => null);
      if (handle !== null) {
        try {
          const stats = await handle.stat();
          const pluginTypes = await this.opts.pluginTypes?.().catch(() => undefined);
          this.logReads += 1;
          const found = await readFailureCause(handle, pluginTypes ? { pluginTypes } : {});
          stored = {
            run_id: run.id,
            cause: found.cause ?? fromRow,
            log_size: stats.size,
            log_mtime: stats.mtime.toISOString(),
          };
          settled = this.now() - stats.mtime.getTime() >= SETTLED_MS;
        } finally {
          await handle.close();
        }
      }
    }
    this.remember(stored, this.now(), settled);
    this.persist(stored);
    return stored.cause;
  }

  private async logOf(run: RunView): Promise<string | null> {
    if (run.run_id === null || run.state_id === '') return null;
    return findRunLog(this.opts.roots, run.state_id, run.run_id).catch(() => null);
  }
}

/** Without a log (or a cause in it): the message Meltano put in the runs row. */
function runRowCause(run: RunView): FailureCause | null {
  if (run.error === null || run.error.trim() === '') return null;
  return { message: run.error.trim(), line: null, source: null, cmd_type: null, kind: 'run_row' };
}

async function statOf(file: string): Promise<{ size: number; mtime: string } | null> {
  try {
    const s = await stat(file);
    return { size: s.size, mtime: s.mtime.toISOString() };
  } catch {
    return null;
  }
}
