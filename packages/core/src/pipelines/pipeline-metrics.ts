import type { SystemDatabase } from '../db/system-database.js';
import type { Project, Schedule } from '../project/project.types.js';
import type { StreamSummary } from '../run-metrics/run-metrics.types.js';
import type { RunMetricsService } from '../run-metrics/run-metrics-service.js';
import type { RunStatus, RunView } from '../runs/run.types.js';
import type { StateIdRunSummary } from '../runs/run-summary-cache.js';
import { scheduleLateness } from '../schedules/lateness.js';
import { jobStateIds, scheduleStateIds } from '../schedules/state-ids.js';
import { FinishedRunsTracker } from './finished-runs-tracker.js';
import { LastSuccessLookup } from './last-success-lookup.js';
import { pipelineStreams, type StreamRecords } from './pipeline-streams.js';
import { stateIdOwners } from './pipeline-views.js';

/** Where a pipeline comes from; a schedule and a job may share a name, so series carry it. */
export type PipelineMetricKind = 'schedule' | 'job' | 'state_id';

/** What the metrics endpoint says about one pipeline. Times are epoch seconds. */
export interface PipelineMetricRow {
  pipeline: string;
  kind: PipelineMetricKind;
  /** Finished runs of its state IDs (RUNNING rows are not counted until they end). */
  succeeded: number;
  failed: number;
  /** The newest run of its state IDs, null before any. */
  latest: { status: RunStatus; started_at: number | null } | null;
  /** When its newest successful run ended; null when none did (or it is not found yet). */
  last_success_at: number | null;
  /** Schedules with a cron that an orchestrator runs; null for the rest. */
  lateness: { late: boolean; missed: number } | null;
  /** Records per stream of the latest finished run of each state ID whose log has been read. */
  streams: StreamRecords[];
  /** Runs that finished since the previous read (never on the first read of a process). */
  finished: { status: 'success' | 'failed'; duration_seconds: number }[];
}

export interface PipelineMetricsSnapshot {
  pipelines: PipelineMetricRow[];
  /** Pipelines beyond the cap, left out. */
  dropped_pipelines: number;
  /** Streams beyond the per-pipeline cap, summed into `(other)`. */
  folded_streams: number;
}

export interface PipelineMetricsOptions {
  db: SystemDatabase;
  runMetrics: Pick<RunMetricsService, 'streamsFor'>;
  now: () => Date;
  /** `ui.schedule_grace` in seconds; null: each schedule's default. */
  scheduleGraceSeconds: number | null;
  /** Default 500: schedules first, then jobs, then state IDs owned by neither (most recently run first). */
  maxPipelines?: number;
  /** Default 50 per pipeline. */
  maxStreams?: number;
  /** Last-success lookups beyond the recent runs per read (last-success-lookup.ts). Default 20. */
  lookupsPerRead?: number;
}

interface PipelineDef {
  name: string;
  kind: PipelineMetricKind;
  stateIds: string[];
  schedule: Schedule | null;
}

const isFinished = (run: RunView) => run.status === 'success' || run.status === 'failed';
const seconds = (iso: string | null) => (iso === null ? null : Date.parse(iso) / 1000);

/**
 * Per-pipeline figures for Prometheus, from the run summary kept in memory (the pipelines list's) and
 * a few cheap queries: no scan of `runs` per read. One reader per server: it remembers which runs it
 * has reported finished, last successes found beyond the recent runs, and the final per-stream figures
 * of the latest runs. Rejects with DatabaseUnavailableError when the system database does not answer.
 */
export class PipelineMetricsReader {
  readonly #opts: PipelineMetricsOptions;
  readonly #finished = new FinishedRunsTracker();
  readonly #lastSuccess: LastSuccessLookup;
  /** Run id → its final per-stream figures (those runs' figures never change). */
  #streams = new Map<number, StreamSummary[]>();

  constructor(opts: PipelineMetricsOptions) {
    this.#opts = opts;
    this.#lastSuccess = new LastSuccessLookup(async (stateId) => {
      const page = await opts.db.runs.list({ state_ids: [stateId], statuses: ['success'] }, { limit: 1 });
      return page.items[0] ?? null;
    }, opts.lookupsPerRead ?? 20);
  }

  async read(project: Project, environment: string | null): Promise<PipelineMetricsSnapshot> {
    const { db } = this.#opts;
    const withRuns = await db.runs.stateIdSummaries();
    const defs = pipelineDefs(
      project,
      environment,
      withRuns.map((s) => s.state_id),
    );
    const summaries = await db.runs.summaries([
      ...new Set([...withRuns.map((s) => s.state_id), ...defs.flatMap((d) => d.stateIds)]),
    ]);
    const fresh = this.#finished.newlyFinished(summaries);
    const max = this.#opts.maxPipelines ?? 500;
    const kept = defs.slice(0, max);
    const keptSummaries = new Map(
      kept.flatMap((d) => d.stateIds.flatMap((id) => summaries.get(id) ?? []).map((s) => [s.state_id, s])),
    );
    const lastSuccess = await this.#lastSuccess.resolve(keptSummaries);
    const streams = await this.#latestStreams(keptSummaries);
    const now = this.#opts.now();
    let folded = 0;
    const pipelines = kept.map((def): PipelineMetricRow => {
      const own = def.stateIds.flatMap((id) => summaries.get(id) ?? []);
      const latest = newest(own.flatMap((s) => s.recent.slice(0, 1)));
      const successes = def.stateIds.flatMap((id) => lastSuccess.get(id)?.endedAtMs ?? []);
      const records = pipelineStreams(
        own.flatMap((s) => {
          const run = s.recent.find(isFinished);
          const found = run ? streams.get(run.id) : undefined;
          return found ? [found] : [];
        }),
        this.#opts.maxStreams ?? 50,
      );
      folded += records.folded;
      const finished = new Map(def.stateIds.flatMap((id) => fresh.get(id) ?? []).map((r) => [r.id, r]));
      return {
        pipeline: def.name,
        kind: def.kind,
        succeeded: own.reduce((n, s) => n + s.stats.succeeded, 0),
        failed: own.reduce((n, s) => n + s.stats.failed, 0),
        latest: latest ? { status: latest.status, started_at: seconds(latest.started_at) } : null,
        last_success_at: successes.length === 0 ? null : Math.max(...successes) / 1000,
        lateness: def.schedule ? this.#lateness(def.schedule, own, now) : null,
        streams: records.streams,
        finished: [...finished.values()].flatMap((r) =>
          r.duration_seconds === null || !isFinished(r)
            ? []
            : [{ status: r.status as 'success' | 'failed', duration_seconds: r.duration_seconds }],
        ),
      };
    });
    return { pipelines, dropped_pipelines: defs.length - kept.length, folded_streams: folded };
  }

  #lateness(schedule: Schedule, own: StateIdRunSummary[], now: Date) {
    const lateness = scheduleLateness({
      interval: schedule.interval,
      startDate: schedule.start_date,
      orchestrated: schedule.orchestrated,
      runStarts: own.flatMap((s) => s.recent.map((r) => r.started_at)),
      now,
      graceSeconds: this.#opts.scheduleGraceSeconds,
    });
    return lateness.status === 'not_applicable'
      ? null
      : { late: lateness.status === 'late', missed: lateness.missed };
  }

  /** Final per-stream figures of each state ID's latest finished run, from memory or one query. */
  async #latestStreams(summaries: ReadonlyMap<string, StateIdRunSummary>) {
    const latest = [...summaries.values()].flatMap((s) => s.recent.find(isFinished) ?? []);
    const kept = new Map<number, StreamSummary[]>();
    const unknown: RunView[] = [];
    for (const run of latest) {
      const known = this.#streams.get(run.id);
      if (known) kept.set(run.id, known);
      else unknown.push(run);
    }
    for (const [id, streams] of await this.#opts.runMetrics.streamsFor(unknown, { finalOnly: true }))
      kept.set(id, streams);
    // Only the latest runs are held: an older run's figures are never asked for again.
    this.#streams = kept;
    return kept;
  }
}

function newest(runs: RunView[]): RunView | null {
  let found: RunView | null = null;
  for (const run of runs) if (found === null || run.id > found.id) found = run;
  return found;
}

/** Schedules, then jobs, then state IDs with runs that neither records, most recently run first. */
function pipelineDefs(project: Project, environment: string | null, withRuns: string[]): PipelineDef[] {
  const defs: PipelineDef[] = [];
  const names = new Set<string>();
  const push = (def: PipelineDef) => {
    const key = `${def.kind}\0${def.name}`;
    if (names.has(key)) return; // a duplicated name in a broken project: its first definition
    names.add(key);
    defs.push(def);
  };
  for (const schedule of project.schedules) {
    push({
      name: schedule.name,
      kind: 'schedule',
      stateIds: scheduleStateIds(project, schedule, environment),
      schedule,
    });
  }
  for (const job of project.jobs) {
    push({ name: job.name, kind: 'job', stateIds: jobStateIds(project, job, environment), schedule: null });
  }
  const owners = stateIdOwners(project, environment);
  for (const stateId of withRuns) {
    if (!owners.has(stateId)) push({ name: stateId, kind: 'state_id', stateIds: [stateId], schedule: null });
  }
  return defs;
}
