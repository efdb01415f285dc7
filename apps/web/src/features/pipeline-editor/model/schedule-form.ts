import type { Schedule, ScheduleCreate, SchedulePatch } from '../../../lib/api-types';
import { type EnvRow, envMap, envRowErrors, envRows, sameEnv } from './env-rows';

export type Transform = 'run' | 'skip' | 'only';
export const TRANSFORMS: readonly Transform[] = ['skip', 'run', 'only'];

/** Both meltano.yml shapes in one form: `kind` says which fields are sent. */
export interface ScheduleForm {
  name: string;
  kind: 'elt' | 'job';
  interval: string;
  job: string;
  extractor: string;
  loader: string;
  transform: Transform;
  env: EnvRow[];
}

export type ScheduleField = 'name' | 'interval' | 'job' | 'extractor' | 'loader' | 'transform' | 'env';

export function emptyScheduleForm(
  start: Partial<Pick<ScheduleForm, 'kind' | 'job' | 'extractor' | 'loader'>> = {},
): ScheduleForm {
  return {
    name: '',
    kind: start.kind ?? (start.job ? 'job' : 'elt'),
    interval: '@daily',
    job: start.job ?? '',
    extractor: start.extractor ?? '',
    loader: start.loader ?? '',
    transform: 'skip',
    env: [],
  };
}

const asTransform = (value: string | null): Transform =>
  value === 'run' || value === 'only' ? value : 'skip';

export function scheduleForm(s: Schedule): ScheduleForm {
  return {
    name: s.name,
    kind: s.kind,
    interval: s.interval ?? '',
    job: s.job ?? '',
    extractor: s.extractor ?? '',
    loader: s.loader ?? '',
    transform: asTransform(s.transform),
    env: envRows(s.env),
  };
}

/** The name the old UI proposed: `gitlab-to-postgres` for tap-gitlab → target-postgres. */
export function suggestedScheduleName(
  form: Pick<ScheduleForm, 'kind' | 'job' | 'extractor' | 'loader'>,
): string {
  if (form.kind === 'job') return form.job === '' ? '' : `${form.job}-schedule`;
  if (form.extractor === '' || form.loader === '') return '';
  return `${form.extractor.replace(/^tap-/, '')}-to-${form.loader.replace(/^target-/, '')}`;
}

/** What must be fixed before saving, by field (the server checks again and names its own field). */
export function scheduleFormErrors(form: ScheduleForm): Partial<Record<ScheduleField, string>> {
  const errors: Partial<Record<ScheduleField, string>> = {};
  if (form.name.trim() === '') errors.name = 'A name is required';
  else if (form.name !== form.name.trim()) errors.name = 'The name must not start or end with spaces';
  if (form.interval.trim() === '') errors.interval = 'Pick an interval or write a cron expression';
  if (form.kind === 'job') {
    if (form.job === '') errors.job = 'Pick the job this schedule runs';
  } else {
    if (form.extractor === '') errors.extractor = 'Pick an extractor';
    if (form.loader === '') errors.loader = 'Pick a loader';
  }
  if (envRowErrors(form.env).size > 0) errors.env = 'Fix the variables marked below';
  return errors;
}

export function createBody(form: ScheduleForm): ScheduleCreate {
  const env = envMap(form.env);
  const common = {
    name: form.name,
    interval: form.interval.trim(),
    ...(Object.keys(env).length > 0 ? { env } : {}),
  };
  return form.kind === 'job'
    ? { ...common, job: form.job }
    : { ...common, extractor: form.extractor, loader: form.loader, transform: form.transform };
}

/**
 * Only what changed, so the file keeps everything else as written (quoting, start_date, annotations).
 * Switching shape sends the new shape's fields; the server drops the other ones.
 */
export function patchBody(form: ScheduleForm, original: ScheduleForm): SchedulePatch {
  const patch: SchedulePatch = {};
  if (form.name !== original.name) patch.name = form.name;
  if (form.interval.trim() !== original.interval) patch.interval = form.interval.trim();
  if (form.kind === 'job') {
    if (form.kind !== original.kind || form.job !== original.job) patch.job = form.job;
  } else if (form.kind !== original.kind) {
    Object.assign(patch, { extractor: form.extractor, loader: form.loader, transform: form.transform });
  } else {
    if (form.extractor !== original.extractor) patch.extractor = form.extractor;
    if (form.loader !== original.loader) patch.loader = form.loader;
    if (form.transform !== original.transform) patch.transform = form.transform;
  }
  const env = envMap(form.env);
  if (!sameEnv(env, envMap(original.env))) patch.env = env;
  return patch;
}
