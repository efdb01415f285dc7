import { REDACTED } from '../plugins/redact.js';
import type { Project, TransformMode } from '../project/project.types.js';
import { isRecord, type RawMap } from '../project/raw-values.js';
import { describeInterval } from '../schedules/interval.js';
import { type WriteOptions, type WriteResult, writeEntity } from './entity-write.js';
import { whatJobsExist } from './plugin-suggestions.js';
import {
  invalid,
  requireEnv,
  requireName,
  requireNewName,
  requirePlugin,
  requireText,
  requireUnique,
} from './validate.js';

const TRANSFORMS: readonly TransformMode[] = ['run', 'skip', 'only'];
const NO_CRON = new Set(['@once', '@manual', '@none']);

interface ScheduleCommon {
  name: string;
  interval: string;
  /** Omitted or {} means no `env:` key (Meltano drops empty blocks). */
  env?: Record<string, string>;
  /** `YYYY-MM-DD` (or ISO 8601): Meltano 2's `start_date:` key, written by the old UI's API. */
  start_date?: string;
}
export interface JobScheduleInput extends ScheduleCommon {
  job: string;
}
export interface EltScheduleInput extends ScheduleCommon {
  extractor: string;
  loader: string;
  transform?: TransformMode;
}
export type ScheduleInput = JobScheduleInput | EltScheduleInput;

/**
 * Fields to change; others are kept as they are in the file (unknown keys, `annotations`, `start_date`).
 * Giving `job` turns an ELT schedule into a job schedule and giving `extractor`/`loader` the reverse.
 */
export interface SchedulePatch {
  name?: string;
  interval?: string;
  env?: Record<string, string>;
  job?: string;
  extractor?: string;
  loader?: string;
  transform?: TransformMode;
}

export function createSchedule(
  root: string,
  input: ScheduleInput,
  options?: WriteOptions,
): Promise<WriteResult> {
  return writeEntity(
    root,
    'schedules',
    null,
    (_current, project) => {
      const patch = input as SchedulePatch;
      requireUnique(project.schedules, requireNewName(patch.name), 'schedule');
      // Meltano's own key order (`meltano schedule add`).
      const raw: RawMap =
        patch.job !== undefined
          ? { name: patch.name, interval: patch.interval, job: patch.job }
          : {
              name: patch.name,
              extractor: patch.extractor,
              loader: patch.loader,
              transform: patch.transform ?? 'skip',
              interval: patch.interval,
            };
      if (patch.env && Object.keys(patch.env).length > 0) raw.env = patch.env;
      const startDate = (input as ScheduleCommon).start_date;
      if (startDate !== undefined) raw.start_date = requireText(startDate, 'start_date');
      return validateSchedule(raw, project, Object.keys(raw));
    },
    options,
  );
}

export function updateSchedule(
  root: string,
  name: string,
  patch: SchedulePatch,
  options?: WriteOptions,
): Promise<WriteResult> {
  return writeEntity(
    root,
    'schedules',
    name,
    (current, project) => {
      const raw: RawMap = { ...current };
      const changed = Object.keys(patch).filter((key) => patch[key as keyof SchedulePatch] !== undefined);
      for (const key of changed) raw[key] = patch[key as keyof SchedulePatch];
      if (patch.env !== undefined) raw.env = keepRedacted(requireEnv(patch.env), current?.env);
      if (patch.job !== undefined) {
        delete raw.extractor;
        delete raw.loader;
        delete raw.transform;
      } else if (patch.extractor !== undefined || patch.loader !== undefined) {
        delete raw.job;
        raw.transform ??= 'skip';
      }
      if (patch.env !== undefined && Object.keys(requireEnv(patch.env)).length === 0) delete raw.env;
      if (patch.name !== undefined && patch.name !== name) {
        requireUnique(project.schedules, requireNewName(patch.name), 'schedule');
      }
      return validateSchedule(raw, project, changed);
    },
    options,
  );
}

export function deleteSchedule(root: string, name: string, options?: WriteOptions): Promise<WriteResult> {
  return writeEntity(root, 'schedules', name, () => null, options);
}

/**
 * The API shows secret-looking `env` values as `(redacted)`; an edit that sends one back unchanged keeps
 * the value on disk rather than writing the placeholder (as Meltano's old UI did for settings).
 */
function keepRedacted(env: Record<string, string>, current: unknown): Record<string, string> {
  const before = isRecord(current) ? current : {};
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const old = before[key];
    kept[key] = value === REDACTED && typeof old === 'string' ? old : value;
  }
  return kept;
}

/**
 * Checks the fields being written. References are only checked when they change, so a schedule that
 * already points at a missing plugin (real projects have them) can still get a new interval.
 */
function validateSchedule(raw: RawMap, project: Project, changed: readonly string[]): RawMap {
  requireName(raw.name);
  const interval = requireText(raw.interval, 'interval');
  if (!NO_CRON.has(interval) && !describeInterval(interval).valid) {
    throw invalid('interval', describeInterval(interval).description);
  }
  if (raw.env !== undefined) requireEnv(raw.env);
  if (raw.job !== undefined) {
    const job = requireText(raw.job, 'job');
    if (changed.includes('job') && !project.jobs.some((entry) => entry.name === job)) {
      throw invalid('job', `There is no job named '${job}' in the project. ${whatJobsExist(project, job)}`);
    }
    return raw;
  }
  const extractor = requireText(raw.extractor, 'extractor');
  const loader = requireText(raw.loader, 'loader');
  if (changed.includes('extractor')) requirePlugin(project, 'extractors', extractor, 'extractor');
  if (changed.includes('loader')) requirePlugin(project, 'loaders', loader, 'loader');
  if (!TRANSFORMS.includes(raw.transform as TransformMode)) {
    throw invalid('transform', '`transform` must be one of run, skip, only');
  }
  return raw;
}
