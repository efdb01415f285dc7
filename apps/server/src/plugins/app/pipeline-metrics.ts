import { PipelineMetricsReader, type PipelineMetricsSnapshot, RUN_STATUSES } from '@meltano-ui/core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge, Histogram } from 'prom-client';

export interface PipelineMetricsOptions {
  /** Pipelines with series (schedules, then jobs, then unowned state IDs). Default 500. */
  maxPipelines?: number;
  /** Streams per pipeline with a records series, the rest summed into `(other)`. Default 50. */
  maxStreams?: number;
  /** A scrape waits this long for the system DB, then answers without pipeline series. Default 2000. */
  timeoutMs?: number;
}

// Seconds: ELT runs take from seconds (an incremental sync with nothing new) to hours (a backfill).
const RUN_DURATION_BUCKETS = [10, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600];

type Scrape = { snapshot: PipelineMetricsSnapshot; seconds: number } | null;

/**
 * Pipeline series in the app's registry (metrics.ts), read from the system DB once per scrape through
 * core's PipelineMetricsReader (the run summary kept for the pipelines list, no scan of `runs`). Every
 * replica reads the same database, so every replica reports the same pipelines: aggregate them with
 * `max`, never `sum`. A database that does not answer in time leaves the pipeline series out and sets
 * meltano_ui_pipeline_metrics_up to 0; the scrape itself still answers.
 */
export const pipelineMetrics = fp(
  async (fastify: FastifyInstance, opts: PipelineMetricsOptions) => {
    const { core, metrics } = fastify;
    if (!metrics.enabled) return;
    const registers = [metrics.registry];
    const reader = new PipelineMetricsReader({
      db: core.db,
      runMetrics: core.runMetrics,
      now: core.now,
      scheduleGraceSeconds: core.scheduleGraceSeconds,
      ...(opts.maxPipelines === undefined ? {} : { maxPipelines: opts.maxPipelines }),
      ...(opts.maxStreams === undefined ? {} : { maxStreams: opts.maxStreams }),
    });
    const timeoutMs = opts.timeoutMs ?? 2000;

    /*
     * Observed when a run is seen finished (core's FinishedRunsTracker), never the runs that had ended
     * before this process started: a restart is a counter reset that rate() handles, where runs counted
     * again would look like a burst. So this is the one series that is this process's count, not the
     * database's: use it through rate()/increase(); each replica sees every run (max, not sum).
     */
    const duration = new Histogram({
      name: 'meltano_pipeline_run_duration_seconds',
      help: 'Duration of pipeline runs seen finishing by this process, by pipeline, kind and outcome',
      labelNames: ['pipeline', 'kind', 'status'],
      buckets: RUN_DURATION_BUCKETS,
      registers,
      // The scrape's read observes what finished: waited for, so this scrape shows it.
      async collect() {
        await current();
      },
    });

    let reading: Promise<Scrape> | null = null;
    let scrape: Promise<Scrape> | null = null;
    let wasUp = true;
    const read = async (): Promise<Scrape> => {
      const started = performance.now();
      const project = await core.projectStore.get();
      if (!project.ok) throw project.error;
      const environment = await core.activeEnvironment(project.project);
      const snapshot = await reader.read(project.project, environment);
      // Here, not in a collect: a read that outlives its scrape's timeout still counts its runs once.
      for (const row of snapshot.pipelines) {
        for (const run of row.finished) {
          duration.observe(
            { pipeline: row.pipeline, kind: row.kind, status: run.status },
            run.duration_seconds,
          );
        }
      }
      return { snapshot, seconds: (performance.now() - started) / 1000 };
    };
    /** One read per scrape, shared by every collect below; a read still going is waited for, not doubled. */
    function current(): Promise<Scrape> {
      scrape ??= new Promise<Scrape>((resolve) => {
        reading ??= read()
          .catch((err: unknown) => {
            if (wasUp)
              fastify.log.warn({ err }, 'pipeline metrics left out: the system database did not answer');
            return null;
          })
          .finally(() => {
            reading = null;
          });
        const timer = setTimeout(() => resolve(null), timeoutMs);
        timer.unref();
        void reading.then((result) => {
          clearTimeout(timer);
          resolve(result);
        });
      }).then((result) => {
        wasUp = result !== null;
        scrape = null;
        return result;
      });
      return scrape;
    }
    const rows = async () => (await current())?.snapshot.pipelines ?? [];
    const label = (row: { pipeline: string; kind: string }) => ({ pipeline: row.pipeline, kind: row.kind });

    new Gauge({
      name: 'meltano_ui_pipeline_metrics_up',
      help: 'Whether this scrape holds the pipeline series (0: the system DB or the project did not answer in time)',
      registers,
      async collect() {
        this.set((await current()) === null ? 0 : 1);
      },
    });
    new Gauge({
      name: 'meltano_ui_pipeline_metrics_read_seconds',
      help: 'Time the pipeline series of this scrape took to read',
      registers,
      async collect() {
        const result = await current();
        this.reset();
        if (result !== null) this.set(result.seconds);
      },
    });
    new Gauge({
      name: 'meltano_ui_metrics_series_dropped',
      help: 'What the label caps left out: pipelines beyond the cap, streams summed into stream="(other)"',
      labelNames: ['reason'],
      registers,
      async collect() {
        const result = await current();
        this.reset();
        if (result === null) return;
        this.set({ reason: 'pipeline_cap' }, result.snapshot.dropped_pipelines);
        this.set({ reason: 'stream_cap' }, result.snapshot.folded_streams);
      },
    });
    /*
     * A Counter whose value is the database's: finished runs never change state and Meltano never deletes
     * runs, so the count only grows, on every replica and across restarts alike. Deleting rows by hand
     * (or restoring an older database) lowers it, which rate() reads as a reset.
     */
    new Counter({
      name: 'meltano_pipeline_runs_total',
      help: 'Finished runs of a pipeline in the system DB, by outcome (running runs count once they end)',
      labelNames: ['pipeline', 'kind', 'status'],
      registers,
      async collect() {
        const found = await rows();
        this.reset();
        for (const row of found) {
          this.inc({ ...label(row), status: 'success' }, row.succeeded);
          this.inc({ ...label(row), status: 'failed' }, row.failed);
        }
      },
    });
    // The enum-as-label pattern: one series per status, 1 for the current one, so a query can both
    // select (== 1) and see every state a pipeline can be in.
    new Gauge({
      name: 'meltano_pipeline_last_run_status',
      help: 'Status of the latest run of a pipeline: 1 for the current status, 0 for the others',
      labelNames: ['pipeline', 'kind', 'status'],
      registers,
      async collect() {
        const found = await rows();
        this.reset();
        for (const row of found) {
          if (row.latest === null) continue;
          for (const status of RUN_STATUSES) {
            this.set({ ...label(row), status }, row.latest.status === status ? 1 : 0);
          }
        }
      },
    });
    new Gauge({
      name: 'meltano_pipeline_last_run_start_timestamp_seconds',
      help: 'When the latest run of a pipeline started (Unix time)',
      labelNames: ['pipeline', 'kind'],
      registers,
      async collect() {
        const found = await rows();
        this.reset();
        for (const row of found) {
          if (row.latest?.started_at != null) this.set(label(row), row.latest.started_at);
        }
      },
    });
    new Gauge({
      name: 'meltano_pipeline_last_success_timestamp_seconds',
      help: 'When the latest successful run of a pipeline ended (Unix time); absent before any success',
      labelNames: ['pipeline', 'kind'],
      registers,
      async collect() {
        const found = await rows();
        this.reset();
        for (const row of found) {
          if (row.last_success_at !== null) this.set(label(row), row.last_success_at);
        }
      },
    });
    new Gauge({
      name: 'meltano_pipeline_latest_run_records',
      help: 'Records per stream in the latest finished run of a pipeline (whose log has been read), counted by the extractor or the loader',
      labelNames: ['pipeline', 'kind', 'stream', 'counted_by'],
      registers,
      async collect() {
        const found = await rows();
        this.reset();
        for (const row of found) {
          for (const s of row.streams) {
            const at = { ...label(row), stream: s.stream };
            if (s.extracted !== null) this.set({ ...at, counted_by: 'extractor' }, s.extracted);
            if (s.loaded !== null) this.set({ ...at, counted_by: 'loader' }, s.loaded);
          }
        }
      },
    });
    new Gauge({
      name: 'meltano_pipeline_late',
      help: 'Whether a schedule missed an expected start (1) or not (0); schedules without a cron or not orchestrated have none',
      labelNames: ['pipeline', 'kind'],
      registers,
      async collect() {
        const found = await rows();
        this.reset();
        for (const row of found) if (row.lateness) this.set(label(row), row.lateness.late ? 1 : 0);
      },
    });
    new Gauge({
      name: 'meltano_pipeline_missed_runs',
      help: 'Expected starts of a schedule since its latest run that no run met (counting stops at 1000)',
      labelNames: ['pipeline', 'kind'],
      registers,
      async collect() {
        const found = await rows();
        this.reset();
        for (const row of found) if (row.lateness) this.set(label(row), row.lateness.missed);
      },
    });
  },
  { name: 'pipeline-metrics', dependencies: ['metrics', 'core-services'] },
);
