import { InvalidInputError, NotFoundError } from '../errors.js';
import type { Job, Project, Schedule } from '../project/project.types.js';
import { jobStateIds, scheduleStateIds, suffixedStateIds } from '../schedules/state-ids.js';
import { atLeast, type MeltanoVersion } from './meltano-version.js';
import { activeRunOptions, type RunOptions, runOptionArgs } from './run-options.js';

export type PipelineKind = 'schedule' | 'job';

/** What the UI runs for a pipeline: Meltano's own argv and environment, and the state IDs it records. */
export interface PipelineCommand {
  kind: PipelineKind;
  name: string;
  args: string[];
  env: Record<string, string>;
  stateIds: string[];
  /** The run options asked for (those set), as recorded with the launch. */
  options: RunOptions;
}

interface CommandOptions {
  version: MeltanoVersion | null;
  environment: string | null;
  /** Run options (full refresh, …); each must exist in this Meltano version and command (400). */
  options?: RunOptions | null;
}

/**
 * The argv `meltano schedule run` itself would use (reference §4): `schedule run NAME` on a CLI that has
 * it (2.0+), else `elt TAP TARGET --transform=T --state-id=NAME` or `run JOB`. Names follow `--`, which
 * click reads as the end of options: a name like `--help` stays a name.
 */
export function scheduleCommand(project: Project, schedule: Schedule, opts: CommandOptions): PipelineCommand {
  const environment = schedule.env.MELTANO_ENVIRONMENT ?? opts.environment;
  if (schedule.kind === 'job' && !project.jobs.some((j) => j.name === schedule.job)) {
    throw new InvalidInputError(
      `Schedule '${schedule.name}' runs job '${schedule.job}', which is not defined`,
    );
  }
  const options = activeRunOptions(opts.options);
  // `meltano schedule run NAME …` hands what follows the name to `meltano elt` or `meltano run`.
  const flags = runOptionArgs(options, schedule.kind === 'job' ? 'run' : 'elt', opts.version);
  const stateIds = options.state_id_suffix
    ? suffixedStateIds(project, { kind: 'schedule', schedule }, opts.environment, options.state_id_suffix)
    : scheduleStateIds(project, schedule, environment);
  let args: string[];
  if (atLeast(opts.version, 2)) args = ['schedule', 'run', '--', schedule.name, ...flags];
  else if (schedule.kind === 'job') args = ['run', ...flags, '--', schedule.job];
  else {
    args = [
      'elt',
      schedule.extractor,
      schedule.loader,
      `--transform=${schedule.transform}`,
      `--state-id=${schedule.name}`,
      ...flags,
    ];
  }
  return { kind: 'schedule', name: schedule.name, args, env: { ...schedule.env }, stateIds, options };
}

export function jobCommand(project: Project, job: Job, opts: CommandOptions): PipelineCommand {
  const options = activeRunOptions(opts.options);
  const flags = runOptionArgs(options, 'run', opts.version);
  return {
    kind: 'job',
    name: job.name,
    args: ['run', ...flags, '--', job.name],
    env: {},
    stateIds: options.state_id_suffix
      ? suffixedStateIds(project, { kind: 'job', job }, opts.environment, options.state_id_suffix)
      : jobStateIds(project, job, opts.environment),
    options,
  };
}

export function pipelineCommand(
  project: Project,
  kind: PipelineKind,
  name: string,
  opts: CommandOptions,
): PipelineCommand {
  if (kind === 'schedule') {
    const schedule = project.schedules.find((s) => s.name === name);
    if (!schedule) throw new NotFoundError('schedule', `No schedule named '${name}'`);
    return scheduleCommand(project, schedule, opts);
  }
  const job = project.jobs.find((j) => j.name === name);
  if (!job) throw new NotFoundError('job', `No job named '${name}'`);
  return jobCommand(project, job, opts);
}

/** The schedule (first) or job whose runs record `stateId` under `environment`; null when none does. */
export function pipelineOwning(
  project: Project,
  stateId: string,
  environment: string | null,
): { kind: PipelineKind; name: string } | null {
  const schedule = project.schedules.find((s) => scheduleStateIds(project, s, environment).includes(stateId));
  if (schedule) return { kind: 'schedule', name: schedule.name };
  const job = project.jobs.find((j) => jobStateIds(project, j, environment).includes(stateId));
  return job ? { kind: 'job', name: job.name } : null;
}
