import type { Job, JobCreate, JobPatch } from '../../../lib/api-types';

/** One task: a space-separated block list such as `tap-x target-y dbt:run`. */
export interface TaskRow {
  id: number;
  text: string;
}

export interface JobForm {
  name: string;
  tasks: TaskRow[];
}

let nextId = 1;
export const newTask = (text = ''): TaskRow => ({ id: nextId++, text });

export const emptyJobForm = (): JobForm => ({ name: '', tasks: [newTask()] });

/** A nested task (a list of strings) is one task whose strings are joined, as `meltano run` reads it. */
export function jobForm(job: Job): JobForm {
  return { name: job.name, tasks: job.tasks.map((blocks) => newTask(blocks.join(' '))) };
}

/** Blocks of a task, whitespace collapsed. */
export const taskBlocks = (text: string): string[] => text.trim().split(/\s+/).filter(Boolean);

export function taskStrings(form: JobForm): string[] {
  return form.tasks.map((t) => taskBlocks(t.text).join(' ')).filter((t) => t !== '');
}

/** Moves the item at `index` by `delta` places; out-of-range moves leave the list as it is. */
export function moveItem<T>(items: readonly T[], index: number, delta: number): T[] {
  const target = index + delta;
  if (index < 0 || index >= items.length || target < 0 || target >= items.length) return [...items];
  const next = [...items];
  const [item] = next.splice(index, 1);
  if (item !== undefined) next.splice(target, 0, item);
  return next;
}

/** Adds a block (plugin name or `plugin:command`) at the end of a task. */
export function appendBlock(text: string, block: string): string {
  return [...taskBlocks(text), block].join(' ');
}

export type JobField = 'name' | 'tasks';

export function jobFormErrors(form: JobForm): Partial<Record<JobField, string>> {
  const errors: Partial<Record<JobField, string>> = {};
  if (form.name.trim() === '') errors.name = 'A name is required';
  else if (form.name !== form.name.trim()) errors.name = 'The name must not start or end with spaces';
  if (taskStrings(form).length === 0) errors.tasks = 'A job needs at least one task';
  return errors;
}

/**
 * Blocks that name nothing this project defines. Only a hint: a block may also be a mapping name of a
 * mapper, which the plugins list does not spell out.
 */
export function unknownBlocks(text: string, known: ReadonlySet<string>): string[] {
  return taskBlocks(text).filter((block) => !known.has(block) && !known.has(block.split(':')[0] ?? ''));
}

export const createJobBody = (form: JobForm): JobCreate => ({ name: form.name, tasks: taskStrings(form) });

export function jobPatchBody(form: JobForm, original: JobForm): JobPatch {
  const patch: JobPatch = {};
  if (form.name !== original.name) patch.name = form.name;
  const tasks = taskStrings(form);
  const before = taskStrings(original);
  if (tasks.length !== before.length || tasks.some((t, i) => t !== before[i])) patch.tasks = tasks;
  return patch;
}
