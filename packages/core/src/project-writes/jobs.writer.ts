import { ConflictError } from '../errors.js';
import type { Project } from '../project/project.types.js';
import type { RawMap } from '../project/raw-values.js';
import { type WriteOptions, type WriteResult, writeEntity } from './entity-write.js';
import { requireKnownBlocks } from './task-blocks.js';
import { invalid, requireNewName, requireUnique } from './validate.js';

export interface JobInput {
  name: string;
  /** Each task is a space-separated block list, e.g. `tap-x target-y dbt:run`. */
  tasks: string[];
}

export interface JobPatch {
  name?: string;
  tasks?: string[];
}

export function createJob(root: string, input: JobInput, options?: WriteOptions): Promise<WriteResult> {
  return writeEntity(
    root,
    'jobs',
    null,
    (_current, project) => {
      requireUnique(project.jobs, requireNewName(input.name), 'job');
      return { name: input.name, tasks: requireTasks(input.tasks, project, new Set()) };
    },
    options,
  );
}

export function updateJob(
  root: string,
  name: string,
  patch: JobPatch,
  options?: WriteOptions,
): Promise<WriteResult> {
  return writeEntity(
    root,
    'jobs',
    name,
    (current, project) => {
      const raw: RawMap = { ...current };
      if (patch.name !== undefined && patch.name !== name) {
        requireUnique(project.jobs, requireNewName(patch.name), 'job');
        refuseIfScheduled(project, name, 'rename');
        raw.name = patch.name;
      }
      if (patch.tasks !== undefined) {
        const onDisk = project.jobs.find((job) => job.name === name)?.tasks.flat() ?? [];
        raw.tasks = requireTasks(patch.tasks, project, new Set(onDisk));
      }
      return raw;
    },
    options,
  );
}

export function deleteJob(root: string, name: string, options?: WriteOptions): Promise<WriteResult> {
  return writeEntity(
    root,
    'jobs',
    name,
    (_current, project) => {
      refuseIfScheduled(project, name, 'delete');
      return null;
    },
    options,
  );
}

/** Meltano does not follow a job's schedules around; leaving them dangling would break them silently. */
function refuseIfScheduled(project: Project, job: string, action: string): void {
  const users = project.schedules.filter((schedule) => schedule.kind === 'job' && schedule.job === job);
  if (users.length > 0) {
    throw new ConflictError('job_in_use', `Cannot ${action} job '${job}': schedules use it`, {
      schedules: users.map((schedule) => schedule.name),
    });
  }
}

/** `kept`: blocks the job already has on disk, not re-checked (see requireKnownBlocks). */
function requireTasks(tasks: unknown, project: Project, kept: ReadonlySet<string>): string[] {
  if (!Array.isArray(tasks) || tasks.length === 0) throw invalid('tasks', 'A job needs at least one task');
  tasks.forEach((task, index) => {
    if (typeof task !== 'string' || task.trim() === '') {
      throw invalid(`tasks[${index}]`, `Task ${index + 1} must be a non-empty string of plugin names`);
    }
  });
  requireKnownBlocks(project, tasks as string[], kept);
  return tasks as string[];
}
