import { findRunLog } from '../logs/find-run-log.js';
import type { LogRoot } from '../logs/log-roots.js';
import { type PluginSources, pluginSources } from '../logs/meltano-log-line.js';
import { openLogFile } from '../logs/open-log-file.js';
import type { RunPage, RunView } from '../runs/run.types.js';
import { readRunMetrics } from './read-run-metrics.js';
import type { RunMetricsLog, RunMetricsRepository, StoredRunMetrics } from './run-metrics.repository.js';
import type { RunMetrics, RunRecords, StreamSummary } from './run-metrics.types.js';
import { RUN_METRICS_FORMAT, RunMetricsAggregator } from './run-metrics-aggregator.js';

export interface RunMetricsServiceOptions {
  repo: RunMetricsRepository;
  roots: LogRoot[];
  /** Plugin name → type (`extractor`, `loaders`, …) from the project: v4 logs do not say it. */
  pluginTypes?: () => Promise<ReadonlyMap<string, string>>;
  /** Runs newest first, a page at a time (RunsRepository.list): what the backfill walks. */
  listRuns?: (cursor: string | null, limit: number) => Promise<RunPage>;
  /** Bytes per read for a run's page. Default 1 MiB. */
  chunkBytes?: number;
  /** Bytes per read in the background. Default 256 KiB. */
  backgroundChunkBytes?: number;
  /**
   * Share of one core the background may use while reading a log (0 < x ≤ 1): after a chunk that
   * took t ms it waits t × (1 − x) / x. Default 0.25.
   */
  backgroundDutyCycle?: number;
  /** Wait between two logs in the background. Default 200 ms. */
  pauseBetweenLogsMs?: number;
  /** How old a running run's figures may be before a list queues them again. Default 10 s. */
  refreshRunningMs?: number;
  /** Rows kept in memory (a polled run page then costs a stat, not a query). Default 200. */
  maxCached?: number;
  now?: () => number;
  onError?: (err: unknown) => void;
}

/** `GET /api/v1/runs/{id}/metrics`: the figures, and how far the log they come from was read. */
export interface RunMetricsView extends RunMetrics {
  /** Null when the run has no log (yet). */
  log: RunMetricsLog | null;
  /** The run has ended and its whole log is counted: these figures are final. */
  complete: boolean;
  /** ISO 8601 UTC. */
  computed_at: string;
}

const PARSER_VERSION = RUN_METRICS_FORMAT;
const MAX_QUEUED = 10_000;
const BACKFILL_PAGE = 100;
const BACKFILL_RETRY_MS = 60_000;
// Meltano writes whole lines; a last line without its newline in a finished run's log is counted
// once the file has been left alone this long (a run marked failed may still be writing).
const SETTLE_MS = 10_000;

/**
 * Singer metrics per run, read from each run's elt.log once and kept in `ui_run_metrics` (shared by
 * replicas and restarts). A run's page asks `metricsFor`, which reads only what the log gained since
 * the stored row (a running run updates live); lists ask `recordsFor`, which never reads a log:
 * runs it does not know are queued for one background reader, which also backfills old runs one log
 * at a time, in small chunks, within a CPU share, until `close()`.
 */
export class RunMetricsService {
  /** Bytes read from logs, and log reads made (tests, metrics). */
  logBytesRead = 0;
  logReads = 0;
  private readonly memory = new Map<number, StoredRunMetrics>();
  private readonly queue = new Map<number, RunView>();
  private readonly inflight = new Map<number, Promise<StoredRunMetrics>>();
  private worker: Promise<void> | null = null;
  private writes: Promise<void> = Promise.resolve();
  private idleWaiters: (() => void)[] = [];
  private readonly wakers = new Set<() => void>();
  private readonly stop = new AbortController();
  private closed = false;
  private backfill: { cursor: string | null; buffer: RunView[]; done: boolean } | null = null;
  private backfillRetry: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: RunMetricsServiceOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** One run's figures, brought up to date with its log now (only the bytes added are read). */
  async metricsFor(run: RunView): Promise<RunMetricsView> {
    return view(await this.compute(run, false));
  }

  /**
   * Record totals of many runs, from memory and one query, without reading any log. Runs without a
   * row (or whose figures may have moved on) are queued for the background reader: they are in the
   * answer to a later call. A run missing from the map is not known yet.
   */
  async recordsFor(runs: readonly RunView[]): Promise<Map<number, RunRecords>> {
    const found = new Map<number, RunRecords>();
    const misses: RunView[] = [];
    for (const run of runs) {
      const cached = this.memory.get(run.id);
      if (!cached) {
        misses.push(run);
        continue;
      }
      found.set(run.id, records(cached.metrics));
      if (this.due(run, cached)) this.enqueue(run);
    }
    if (misses.length === 0) return found;
    let rows: Awaited<ReturnType<RunMetricsRepository['records']>> = [];
    try {
      rows = await this.opts.repo.records(misses.map((r) => r.id));
    } catch (err) {
      this.opts.onError?.(err);
    }
    const byId = new Map(rows.map((r) => [r.run_id, r]));
    for (const run of misses) {
      const row = byId.get(run.id);
      if (row && row.parser_version === PARSER_VERSION) {
        found.set(run.id, { records_extracted: row.records_extracted, records_loaded: row.records_loaded });
        if (this.due(run, row)) this.enqueue(run);
      } else {
        this.enqueue(run);
      }
    }
    return found;
  }

  /**
   * Per-stream figures of many runs, like `recordsFor`: from memory and one query, never a log; runs
   * not known yet (or whose figures may have moved on) are queued for the background reader and are
   * missing from the map until a later call. `finalOnly`: only finished runs whose logs were read to
   * the end (their figures never change). A UI table that cannot be read leaves every miss out.
   */
  async streamsFor(
    runs: readonly RunView[],
    opts: { finalOnly?: boolean } = {},
  ): Promise<Map<number, StreamSummary[]>> {
    const found = new Map<number, StreamSummary[]>();
    const misses: RunView[] = [];
    for (const run of runs) {
      const cached = this.memory.get(run.id);
      if (cached && (cached.run_finished || !opts.finalOnly)) {
        found.set(run.id, cached.metrics.by_stream);
        if (this.due(run, cached)) this.enqueue(run);
      } else misses.push(run);
    }
    if (misses.length === 0) return found;
    let rows: Awaited<ReturnType<RunMetricsRepository['streams']>> = [];
    try {
      rows = await this.opts.repo.streams(misses.map((r) => r.id));
    } catch (err) {
      this.opts.onError?.(err);
      return found;
    }
    const byId = new Map(rows.map((r) => [r.run_id, r]));
    for (const run of misses) {
      const row = byId.get(run.id);
      const current = row !== undefined && row.parser_version === PARSER_VERSION;
      if (current && (row.run_finished || !opts.finalOnly)) found.set(run.id, row.by_stream);
      if (!current || this.due(run, row)) this.enqueue(run);
    }
    return found;
  }

  /**
   * Starts reading the logs of every run without figures yet, newest first, in the background
   * (after whatever lists queued), from `delayMs` on. Needs `listRuns`. Idempotent.
   */
  startBackfill(delayMs = 0): void {
    if (!this.opts.listRuns || this.backfill !== null || this.closed) return;
    this.backfill = { cursor: null, buffer: [], done: false };
    if (delayMs <= 0) {
      this.kick();
      return;
    }
    // Started late, a backfill leaves the boot's own reads (the run summary's first pass) alone.
    this.backfillRetry = setTimeout(() => {
      this.backfillRetry = null;
      this.kick();
    }, delayMs);
    this.backfillRetry.unref();
  }

  /** Resolves once nothing is queued, read or written (tests; a backfill counts until done). */
  async idle(): Promise<void> {
    if (this.worker !== null) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    await Promise.all(this.inflight.values());
    await this.writes;
  }

  /** Stops the background reader (a log half read is stored as far as it got) and waits for it. */
  async close(): Promise<void> {
    this.closed = true;
    this.stop.abort();
    if (this.backfillRetry) clearTimeout(this.backfillRetry);
    for (const wake of [...this.wakers]) wake();
    await this.worker;
    await Promise.allSettled(this.inflight.values());
    await this.writes;
  }

  /** Whether stored figures may have moved on since: the run was running (or its log unsettled). */
  private due(run: RunView, row: { run_finished: boolean; computed_at: string }): boolean {
    if (row.run_finished) return false;
    if (run.status === 'success' || run.status === 'failed') return true;
    return this.now() - Date.parse(row.computed_at) >= (this.opts.refreshRunningMs ?? 10_000);
  }

  private enqueue(run: RunView): void {
    if (this.closed || this.queue.has(run.id) || this.inflight.has(run.id)) return;
    if (this.queue.size >= MAX_QUEUED) return;
    this.queue.set(run.id, run);
    this.kick();
  }

  private kick(): void {
    if (this.worker !== null || this.closed) return;
    this.worker = this.work()
      .catch((err: unknown) => this.opts.onError?.(err))
      .finally(() => {
        this.worker = null;
        if (!this.closed && this.queue.size > 0) {
          this.kick();
          return;
        }
        for (const resolve of this.idleWaiters.splice(0)) resolve();
      });
  }

  /** One log at a time: the queue first, then the backfill. */
  private async work(): Promise<void> {
    while (!this.closed) {
      const run = this.takeQueued() ?? (await this.nextBackfillRun());
      if (run === null) return;
      try {
        await this.compute(run, true);
      } catch (err) {
        this.opts.onError?.(err);
      }
      await this.sleep(this.opts.pauseBetweenLogsMs ?? 200);
    }
  }

  private takeQueued(): RunView | null {
    const next = this.queue.entries().next();
    if (next.done) return null;
    const [id, run] = next.value;
    this.queue.delete(id);
    return run;
  }

  private async nextBackfillRun(): Promise<RunView | null> {
    const backfill = this.backfill;
    const listRuns = this.opts.listRuns;
    if (backfill === null || !listRuns) return null;
    while (backfill.buffer.length === 0) {
      if (backfill.done || this.closed) return null;
      try {
        const page = await listRuns(backfill.cursor, BACKFILL_PAGE);
        const ids = page.items.map((r) => r.id);
        const rows = await this.opts.repo.records(ids);
        const finished = new Set(
          rows.filter((r) => r.parser_version === PARSER_VERSION && r.run_finished).map((r) => r.run_id),
        );
        backfill.buffer.push(...page.items.filter((r) => !finished.has(r.id) && r.run_id !== null));
        backfill.cursor = page.next_cursor;
        backfill.done = page.next_cursor === null;
      } catch (err) {
        // The system DB is away: try the same page again later rather than spin.
        this.opts.onError?.(err);
        this.retryBackfillLater();
        return null;
      }
    }
    return backfill.buffer.shift() ?? null;
  }

  private retryBackfillLater(): void {
    if (this.closed || this.backfillRetry) return;
    this.backfillRetry = setTimeout(() => {
      this.backfillRetry = null;
      this.kick();
    }, BACKFILL_RETRY_MS);
    this.backfillRetry.unref();
  }

  private compute(run: RunView, background: boolean): Promise<StoredRunMetrics> {
    const running = this.inflight.get(run.id);
    if (running) return running;
    const work = this.read(run, background).finally(() => this.inflight.delete(run.id));
    this.inflight.set(run.id, work);
    return work;
  }

  private async read(run: RunView, background: boolean): Promise<StoredRunMetrics> {
    const previous = await this.stored(run.id);
    const finished = run.status === 'success' || run.status === 'failed';
    const file = await this.logOf(run);
    const handle = file === null ? null : await openLogFile(file, this.opts.roots).catch(() => null);
    if (handle === null) {
      // A log removed after it was read (logs cleaned up): the figures read from it stay.
      if (previous && (previous.log !== null || previous.run_finished === finished)) {
        const runFinished = previous.run_finished || finished;
        if (runFinished === previous.run_finished) return previous;
        return this.keep({ ...previous, run_finished: runFinished, computed_at: this.isoNow() });
      }
      return this.keep({
        run_id: run.id,
        parser_version: PARSER_VERSION,
        log: null,
        metrics: new RunMetricsAggregator().result(),
        progress: null,
        run_finished: finished,
        computed_at: this.isoNow(),
      });
    }
    try {
      const stats = await handle.stat();
      const mtime = stats.mtime.toISOString();
      const settled = finished && this.now() - stats.mtime.getTime() >= SETTLE_MS;
      const log = previous?.log ?? null;
      if (
        previous &&
        log &&
        log.size === stats.size &&
        log.mtime === mtime &&
        (log.offset === log.size || !settled)
      ) {
        const runFinished = settled && log.offset === log.size;
        if (previous.run_finished === runFinished) return previous;
        return this.keep({ ...previous, run_finished: runFinished, computed_at: this.isoNow() });
      }
      const read = await readRunMetrics(handle, {
        progress: previous?.progress ?? null,
        plugins: await this.plugins(),
        complete: settled,
        chunkBytes: background ? (this.opts.backgroundChunkBytes ?? 256 * 1024) : this.opts.chunkBytes,
        signal: this.stop.signal,
        ...(background ? { between: (ms: number) => this.sleep(ms * this.restFactor()) } : {}),
      });
      this.logReads += 1;
      this.logBytesRead += read.bytesRead;
      return this.keep({
        run_id: run.id,
        parser_version: PARSER_VERSION,
        log: { offset: read.progress.offset, size: read.size, mtime },
        metrics: read.metrics,
        progress: read.progress,
        run_finished: settled && !read.stopped && read.progress.offset === read.size,
        computed_at: this.isoNow(),
      });
    } finally {
      await handle.close();
    }
  }

  /** The row in memory, else in the table (a row of another parser version counts as none). */
  private async stored(runId: number): Promise<StoredRunMetrics | null> {
    let stored = this.memory.get(runId) ?? null;
    if (stored === null) {
      try {
        stored = await this.opts.repo.get(runId);
      } catch (err) {
        // A read-only or unreachable UI table: the log is still there to read.
        this.opts.onError?.(err);
      }
    }
    return stored !== null && stored.parser_version === PARSER_VERSION ? stored : null;
  }

  private keep(stored: StoredRunMetrics): StoredRunMetrics {
    this.memory.delete(stored.run_id);
    this.memory.set(stored.run_id, stored);
    const max = this.opts.maxCached ?? 200;
    while (this.memory.size > max) {
      const oldest = this.memory.keys().next().value;
      if (oldest === undefined) break;
      this.memory.delete(oldest);
    }
    // One write at a time (see FailureCauseService.persist): it is a cache nobody waits for.
    this.writes = this.writes
      .then(() => this.opts.repo.put(stored))
      .catch((err: unknown) => this.opts.onError?.(err));
    return stored;
  }

  private async plugins(): Promise<PluginSources> {
    const types = await this.opts.pluginTypes?.().catch(() => undefined);
    if (!types) return new Map();
    return pluginSources([...types].map(([name, type]) => ({ name, type })));
  }

  private async logOf(run: RunView): Promise<string | null> {
    if (run.run_id === null || run.state_id === '') return null;
    return findRunLog(this.opts.roots, run.state_id, run.run_id).catch(() => null);
  }

  private restFactor(): number {
    const duty = Math.min(1, Math.max(0.01, this.opts.backgroundDutyCycle ?? 0.25));
    return (1 - duty) / duty;
  }

  /** Waits `ms`, or less when closing. */
  private sleep(ms: number): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      timer.unref();
      this.wakers.add(done);
    });
  }

  private isoNow(): string {
    return new Date(this.now()).toISOString();
  }
}

function records(metrics: RunMetrics): RunRecords {
  return { records_extracted: metrics.records_extracted, records_loaded: metrics.records_loaded };
}

function view(stored: StoredRunMetrics): RunMetricsView {
  return {
    ...stored.metrics,
    log: stored.log,
    complete: stored.run_finished,
    computed_at: stored.computed_at,
  };
}
