import path from 'node:path';
import type { SystemDatabase } from '../db/system-database.js';
import { describeEnvMap, type EnvReference, projectEnvContext } from '../plugin-settings/env-references.js';
import { redactEnvMap } from '../plugins/redact.js';
import type { Job, Project, Schedule } from '../project/project.types.js';
import type { RunView } from '../runs/run.types.js';
import type { StateIdRunSummary } from '../runs/run-summary-cache.js';
import { SUMMARY_RECENT_RUNS } from '../runs/run-summary-index.js';
import { describeInterval, type IntervalInfo } from '../schedules/interval.js';
import { type Lateness, scheduleLateness } from '../schedules/lateness.js';
import { jobStateIds, scheduleStateIds } from '../schedules/state-ids.js';

/** How many past outcomes a pipeline row shows: what the run summary keeps per state ID. */
export const RECENT_RUNS = SUMMARY_RECENT_RUNS;

export interface RunOutcome {
  id: number;
  status: RunView['status'];
  started_at: string | null;
  duration_seconds: number | null;
}

export interface RunTotals {
  total: number;
  succeeded: number;
  failed: number;
  /** succeeded / (succeeded + failed), null before any finished run. */
  success_rate: number | null;
}

export interface ScheduleView {
  name: string;
  kind: 'elt' | 'job';
  interval: string | null;
  cron: string | null;
  interval_description: string;
  interval_valid: boolean;
  next_run_at: string | null;
  extractor: string | null;
  loader: string | null;
  transform: string | null;
  job: string | null;
  /** The job's tasks (job schedules), each as its blocks; null for ELT schedules. */
  tasks: string[][] | null;
  /** As written (`${VAR}` not expanded), secret-looking values `(redacted)`. */
  env: Record<string, string>;
  /** Each `${VAR}` the env values read: whether it is set and where from, never its value. */
  env_references: EnvReference[];
  start_date: string | null;
  /** False when `annotations: {meltano-ui: {orchestrated: false}}` says nothing runs it on its interval. */
  orchestrated: boolean;
  /** Whether its expected starts since the latest run (or start_date) were met (schedules/lateness.ts). */
  lateness: Lateness;
  environment: string | null;
  state_ids: string[];
  /** State IDs other schedules or jobs record too (its own job aside): their runs are in this history. */
  shared_state_ids: SharedStateId[];
  latest_run: RunView | null;
  recent_runs: RunOutcome[];
  totals: RunTotals;
  source_file: string;
  /** What is wrong with the definition (an undefined job or plugin), else null. */
  problem: string | null;
}

export interface JobView {
  name: string;
  tasks: string[][];
  environment: string | null;
  state_ids: string[];
  /** State IDs other jobs or schedules record too (its own schedules aside). */
  shared_state_ids: SharedStateId[];
  schedules: string[];
  latest_run: RunView | null;
  recent_runs: RunOutcome[];
  totals: RunTotals;
  source_file: string;
}

/** A state ID this pipeline records that others record too, and who they are. */
export interface SharedStateId {
  state_id: string;
  /** The first SHARED_NAMES_LISTED of them; `more_schedules` counts the rest. */
  schedules: string[];
  jobs: string[];
  more_schedules: number;
  more_jobs: number;
}

/**
 * Names listed per shared state ID and kind: every schedule of a state ID shared by N of them would
 * otherwise list the other N-1 (250 schedules of one job: 1 MB of a 1.5 MB pipelines list).
 */
export const SHARED_NAMES_LISTED = 10;

export type StateIdOwners = Map<string, { schedules: string[]; jobs: string[] }>;

/**
 * The other owners of each state ID. A job schedule and the job it runs writing the same state ID is
 * what running a job on a schedule means, so they are not listed for each other.
 */
function sharedStateIds(
  ids: string[],
  owners: StateIdOwners,
  self: { schedule?: string; jobs: string[]; schedules: string[] },
): SharedStateId[] {
  return ids.flatMap((state_id) => {
    const found = owners.get(state_id);
    if (!found) return [];
    const schedules = found.schedules.filter((s) => s !== self.schedule && !self.schedules.includes(s));
    const jobs = found.jobs.filter((j) => !self.jobs.includes(j));
    if (schedules.length + jobs.length === 0) return [];
    return [
      {
        state_id,
        schedules: schedules.slice(0, SHARED_NAMES_LISTED),
        jobs: jobs.slice(0, SHARED_NAMES_LISTED),
        more_schedules: Math.max(0, schedules.length - SHARED_NAMES_LISTED),
        more_jobs: Math.max(0, jobs.length - SHARED_NAMES_LISTED),
      },
    ];
  });
}

type RunFacts = Map<string, StateIdRunSummary>;

/** From the run summary kept in memory: the pipelines page is polled, and `runs` has no index to help. */
async function runFacts(db: SystemDatabase, stateIds: string[]): Promise<RunFacts> {
  if (stateIds.length === 0) return new Map();
  return db.runs.summaries(stateIds);
}

function summarise(stateIds: string[], facts: RunFacts) {
  let latest: RunView | null = null;
  const recent: RunView[] = [];
  const counts = { total: 0, succeeded: 0, failed: 0 };
  for (const id of stateIds) {
    const summary = facts.get(id);
    if (!summary) continue;
    const run = summary.recent[0];
    if (run && (latest === null || run.id > latest.id)) latest = run;
    recent.push(...summary.recent);
    counts.total += summary.stats.total;
    counts.succeeded += summary.stats.succeeded;
    counts.failed += summary.stats.failed;
  }
  recent.sort((a, b) => b.id - a.id);
  const finished = counts.succeeded + counts.failed;
  return {
    latest_run: latest,
    recent_runs: recent.slice(0, RECENT_RUNS).map((r) => ({
      id: r.id,
      status: r.status,
      started_at: r.started_at,
      duration_seconds: r.duration_seconds,
    })),
    totals: { ...counts, success_rate: finished === 0 ? null : counts.succeeded / finished },
  };
}

function scheduleProblem(project: Project, schedule: Schedule): string | null {
  const has = (name: string) => project.plugins.some((p) => p.name === name);
  if (schedule.kind === 'job') {
    return project.jobs.some((j) => j.name === schedule.job) ? null : `Job '${schedule.job}' is not defined`;
  }
  const missing = [schedule.extractor, schedule.loader].filter((name) => !has(name));
  return missing.length === 0 ? null : `Plugin ${missing.map((m) => `'${m}'`).join(' and ')} not defined`;
}

function scheduleEnvironment(schedule: Schedule, environment: string | null): string | null {
  return schedule.env.MELTANO_ENVIRONMENT ?? environment;
}

export async function listScheduleViews(
  project: Project,
  db: SystemDatabase,
  opts: {
    environment: string | null;
    now: Date;
    processEnv?: NodeJS.ProcessEnv;
    /** Of the whole project, when `project` holds only the schedules to show. */
    owners?: StateIdOwners;
    /** `ui.schedule_grace` in seconds; null or absent: 10% of each interval, at least 5 minutes. */
    scheduleGraceSeconds?: number | null;
  },
): Promise<ScheduleView[]> {
  const owners = opts.owners ?? stateIdOwners(project, opts.environment);
  const envContext = projectEnvContext(project, opts.processEnv ?? {});
  const stateIds = project.schedules.map((s) => scheduleStateIds(project, s, opts.environment));
  const facts = await runFacts(db, [...new Set(stateIds.flat())]);
  // Computing a next run (croner, in UTC) costs about half a millisecond, and most schedules share
  // a handful of intervals.
  const intervals = new Map<string | null, IntervalInfo>();
  const intervalOf = (interval: string | null) => {
    const known = intervals.get(interval);
    if (known) return known;
    const described = describeInterval(interval, opts.now);
    intervals.set(interval, described);
    return described;
  };
  return project.schedules.map((schedule, i) => {
    const ids = stateIds[i] ?? [];
    const interval = intervalOf(schedule.interval);
    const job = schedule.kind === 'job' ? project.jobs.find((j) => j.name === schedule.job) : undefined;
    return {
      name: schedule.name,
      kind: schedule.kind,
      interval: schedule.interval,
      cron: interval.cron,
      interval_description: interval.description,
      interval_valid: interval.valid,
      next_run_at: interval.next_run_at,
      extractor: schedule.kind === 'elt' ? schedule.extractor : null,
      loader: schedule.kind === 'elt' ? schedule.loader : null,
      transform: schedule.kind === 'elt' ? schedule.transform : null,
      job: schedule.kind === 'job' ? schedule.job : null,
      tasks: job ? job.tasks : null,
      env: redactEnvMap(schedule.env),
      env_references: describeEnvMap(schedule.env, envContext),
      start_date: schedule.start_date,
      orchestrated: schedule.orchestrated,
      lateness: scheduleLateness({
        interval: schedule.interval,
        startDate: schedule.start_date,
        orchestrated: schedule.orchestrated,
        // Any of its state IDs starting counts: a job schedule writes one row per block set.
        runStarts: ids.flatMap((id) => facts.get(id)?.recent.map((r) => r.started_at) ?? []),
        now: opts.now,
        graceSeconds: opts.scheduleGraceSeconds ?? null,
      }),
      environment: schedule.kind === 'job' ? scheduleEnvironment(schedule, opts.environment) : null,
      state_ids: ids,
      shared_state_ids: sharedStateIds(ids, owners, {
        schedule: schedule.name,
        jobs: schedule.kind === 'job' ? [schedule.job] : [],
        schedules: [],
      }),
      ...summarise(ids, facts),
      source_file: path.relative(project.root, schedule.source_file),
      problem: scheduleProblem(project, schedule),
    };
  });
}

export async function listJobViews(
  project: Project,
  db: SystemDatabase,
  opts: { environment: string | null; owners?: StateIdOwners },
): Promise<JobView[]> {
  const owners = opts.owners ?? stateIdOwners(project, opts.environment);
  const stateIds = project.jobs.map((job: Job) => jobStateIds(project, job, opts.environment));
  const facts = await runFacts(db, [...new Set(stateIds.flat())]);
  return project.jobs.map((job, i) => {
    const ids = stateIds[i] ?? [];
    const schedules = project.schedules
      .filter((s) => s.kind === 'job' && s.job === job.name)
      .map((s) => s.name);
    return {
      name: job.name,
      tasks: job.tasks,
      environment: opts.environment,
      state_ids: ids,
      shared_state_ids: sharedStateIds(ids, owners, { jobs: [job.name], schedules }),
      schedules,
      ...summarise(ids, facts),
      source_file: path.relative(project.root, job.source_file),
    };
  });
}

/** Which schedules and jobs record each state ID (a state ID in none of them was run by hand). */
export function stateIdOwners(project: Project, environment: string | null): StateIdOwners {
  // A loaded project never changes (see scheduleStateIds): kept per project and environment.
  let byEnvironment = ownersByProject.get(project);
  if (byEnvironment === undefined) {
    byEnvironment = new Map();
    ownersByProject.set(project, byEnvironment);
  }
  const kept = byEnvironment.get(environment);
  if (kept) return kept;
  const owners = computeStateIdOwners(project, environment);
  byEnvironment.set(environment, owners);
  return owners;
}

const ownersByProject = new WeakMap<Project, Map<string | null, StateIdOwners>>();

function computeStateIdOwners(project: Project, environment: string | null): StateIdOwners {
  const owners: StateIdOwners = new Map();
  const owner = (id: string) => {
    const found = owners.get(id) ?? { schedules: [], jobs: [] };
    owners.set(id, found);
    return found;
  };
  for (const s of project.schedules) {
    for (const id of scheduleStateIds(project, s, environment)) owner(id).schedules.push(s.name);
  }
  for (const j of project.jobs)
    for (const id of jobStateIds(project, j, environment)) owner(id).jobs.push(j.name);
  return owners;
}
