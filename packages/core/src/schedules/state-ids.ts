import { expandEnvVars } from '../project/env-expand.js';
import type { Job, Project, Schedule } from '../project/project.types.js';

/**
 * The `runs.job_name` values a job or schedule writes, so the UI can find their runs and state.
 * `meltano run` gives each extractor…loader block set `<environment>:<extractor>-to-<loader>[:<suffix>]`
 * (mappers in between do not count; plugin commands and other blocks write no rows) and requires an
 * environment. ELT-style schedules run `meltano elt --state-id=<schedule name>`.
 */

function blockSetPairs(project: Project, tasks: string[][]): [string, string][] {
  const typeOf = (block: string) => {
    if (block.includes(':')) return null; // `plugin:command`
    const plugin = project.plugins.find(
      (p) => p.name === block && (p.type === 'extractors' || p.type === 'loaders'),
    );
    return plugin?.type ?? null;
  };
  const pairs: [string, string][] = [];
  const seen = new Set<string>();
  for (const task of tasks) {
    let extractor: string | null = null;
    for (const block of task) {
      const type = typeOf(block);
      if (type === 'extractors') extractor = block;
      else if (type === 'loaders' && extractor) {
        const key = `${extractor}\0${block}`;
        if (!seen.has(key)) pairs.push([extractor, block]);
        seen.add(key);
        extractor = null;
      }
    }
  }
  return pairs;
}

function runStateIds(
  project: Project,
  tasks: string[][],
  environment: string | null,
  extraEnv: Record<string, string>,
): string[] {
  if (!environment) return [];
  const env = project.environments.find((e) => e.name === environment);
  const vars = { ...project.dotenv, ...project.env, ...(env?.env ?? {}), ...extraEnv };
  // `--state-id-suffix` / MELTANO_RUN_STATE_ID_SUFFIX win over the environment's own suffix.
  const rawSuffix = extraEnv.MELTANO_RUN_STATE_ID_SUFFIX || env?.state_id_suffix || null;
  const suffix = rawSuffix ? expandEnvVars(rawSuffix, vars) : null;
  return blockSetPairs(project, tasks).map(([extractor, loader]) =>
    [environment, `${extractor}-to-${loader}`, suffix].filter((part) => part).join(':'),
  );
}

export function jobStateIds(project: Project, job: Job, environment: string | null): string[] {
  return runStateIds(project, job.tasks, environment, {});
}

/**
 * State IDs of a schedule under `environment` (the one `meltano run` would pick). The schedule's own
 * `env.MELTANO_ENVIRONMENT` wins, because `meltano schedule run` passes that env to the child process.
 */
export function scheduleStateIds(project: Project, schedule: Schedule, environment: string | null): string[] {
  if (schedule.kind === 'elt') return [schedule.name];
  // A loaded project is never changed (a change on disk loads a new one), so neither is the answer:
  // the pipelines list asks for every schedule's on every poll.
  const from = [project.plugins, project.jobs, project.environments, project.dotenv, project.env];
  let byEnvironment = jobScheduleStateIds.get(schedule);
  if (byEnvironment === undefined || byEnvironment.from.some((part, i) => part !== from[i])) {
    byEnvironment = { from, ids: new Map() };
    jobScheduleStateIds.set(schedule, byEnvironment);
  }
  const kept = byEnvironment.ids.get(environment);
  if (kept) return kept;
  const ids = computeScheduleStateIds(project, schedule, environment);
  byEnvironment.ids.set(environment, ids);
  return ids;
}

/**
 * By schedule, then environment; kept with the parts of the project they were worked out from (a copy
 * like `{ ...project, schedules }` shares them, and so shares the answers).
 */
const jobScheduleStateIds = new WeakMap<Schedule, { from: unknown[]; ids: Map<string | null, string[]> }>();

function computeScheduleStateIds(project: Project, schedule: Schedule, environment: string | null): string[] {
  if (schedule.kind === 'elt') return [schedule.name];
  const job = project.jobs.find((j) => j.name === schedule.job);
  if (!job) return [];
  const override = schedule.env.MELTANO_ENVIRONMENT;
  const effective = override ? (override.toLowerCase() === 'null' ? null : override) : environment;
  return runStateIds(project, job.tasks, effective, schedule.env);
}

/**
 * The state IDs a run with `--state-id-suffix=SUFFIX` records: a job's (or job schedule's) block sets
 * with that suffix; an ELT schedule's state ID has no suffix (`meltano elt` takes none).
 */
export function suffixedStateIds(
  project: Project,
  pipeline: { kind: 'schedule'; schedule: Schedule } | { kind: 'job'; job: Job },
  environment: string | null,
  suffix: string,
): string[] {
  if (pipeline.kind === 'job') {
    return runStateIds(project, pipeline.job.tasks, environment, { MELTANO_RUN_STATE_ID_SUFFIX: suffix });
  }
  const { schedule } = pipeline;
  if (schedule.kind === 'elt') return [schedule.name];
  const job = project.jobs.find((j) => j.name === schedule.job);
  if (!job) return [];
  const override = schedule.env.MELTANO_ENVIRONMENT;
  const effective = override ? (override.toLowerCase() === 'null' ? null : override) : environment;
  return runStateIds(project, job.tasks, effective, { ...schedule.env, MELTANO_RUN_STATE_ID_SUFFIX: suffix });
}
