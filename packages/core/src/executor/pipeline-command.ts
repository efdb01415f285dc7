import { InvalidInputError, NotFoundError } from '../errors.js';
import type { Job, Project, Schedule } from '../project/project.types.js';
import { jobStateIds, scheduleStateIds } from '../schedules/state-ids.js';
import { atLeast, type MeltanoVersion } from './meltano-version.js';

export type PipelineKind = 'schedule' | 'job';

/** What the UI runs for a pipeline: Meltano's own argv and environment, and the state IDs it records. */
export interface PipelineCommand {
  kind: PipelineKind;
  name: string;
  args: string[];
  env: Record<string, string>;
  stateIds: string[];
}

/**
 * The argv `meltano schedule run` itself would use (reference §4): `schedule run NAME` on a CLI that has
 * it (2.0+), else `elt TAP TARGET --transform=T --state-id=NAME` or `run JOB`. Names follow `--`, which
 * click reads as the end of options: a name like `--help` stays a name.
 */
export function scheduleCommand(
  project: Project,
  schedule: Schedule,
  opts: { version: MeltanoVersion | null; environment: string | null },
): PipelineCommand {
  const environment = schedule.env.MELTANO_ENVIRONMENT ?? opts.environment;
  const stateIds = scheduleStateIds(project, schedule, environment);
  if (schedule.kind === 'job' && !project.jobs.some((j) => j.name === schedule.job)) {
    throw new InvalidInputError(
      `Schedule '${schedule.name}' runs job '${schedule.job}', which is not defined`,
    );
  }
  let args: string[];
  if (atLeast(opts.version, 2)) args = ['schedule', 'run', '--', schedule.name];
  else if (schedule.kind === 'job') args = ['run', '--', schedule.job];
  else {
    args = [
      'elt',
      schedule.extractor,
      schedule.loader,
      `--transform=${schedule.transform}`,
      `--state-id=${schedule.name}`,
    ];
  }
  return { kind: 'schedule', name: schedule.name, args, env: { ...schedule.env }, stateIds };
}

export function jobCommand(
  project: Project,
  job: Job,
  opts: { environment: string | null },
): PipelineCommand {
  return {
    kind: 'job',
    name: job.name,
    args: ['run', '--', job.name],
    env: {},
    stateIds: jobStateIds(project, job, opts.environment),
  };
}

export function pipelineCommand(
  project: Project,
  kind: PipelineKind,
  name: string,
  opts: { version: MeltanoVersion | null; environment: string | null },
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
