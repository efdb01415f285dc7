import type {
  Environment,
  EnvironmentPluginOverride,
  Job,
  Schedule,
  TransformMode,
} from './project.types.js';
import { asList, asRecord, isRecord, optString, type RawMap, toEnvRecord } from './raw-values.js';

const TRANSFORM_MODES: readonly TransformMode[] = ['run', 'skip', 'only'];

/**
 * A schedule is job-style when it has a (truthy) `job`, like Meltano's `load_schedules`; otherwise ELT-style
 * with `transform` defaulting to `skip`. Keys outside the model (stray extras) are ignored, and of
 * `annotations` only the UI's own `meltano-ui.orchestrated`.
 */
export function parseSchedule(raw: RawMap, name: string, sourceFile: string): Schedule {
  const base = {
    name,
    interval: optString(raw.interval),
    env: toEnvRecord(raw.env),
    start_date: optString(raw.start_date),
    orchestrated: uiAnnotation(raw, 'orchestrated') !== false,
    source_file: sourceFile,
  };
  const job = optString(raw.job);
  if (job) return { ...base, kind: 'job', job };
  const transform = optString(raw.transform) as TransformMode | null;
  return {
    ...base,
    kind: 'elt',
    extractor: optString(raw.extractor) ?? '',
    loader: optString(raw.loader) ?? '',
    transform: transform && TRANSFORM_MODES.includes(transform) ? transform : 'skip',
  };
}

/**
 * `annotations: {meltano-ui: {<key>: …}}`: Meltano keeps annotations and ignores them, so they are
 * where a project tells the UI something without bothering the CLI. `false`/`"false"` both count.
 */
function uiAnnotation(raw: RawMap, key: string): unknown {
  const value = asRecord(asRecord(raw.annotations)['meltano-ui'])[key];
  if (typeof value === 'string' && ['false', 'true'].includes(value.trim().toLowerCase())) {
    return value.trim().toLowerCase() === 'true';
  }
  return value;
}

function splitBlocks(task: string): string[] {
  return task.split(/\s+/).filter((block) => block !== '');
}

/**
 * `tasks` may be a string (one task), or a list whose items are strings (one task each) or lists of
 * strings (one task, joined like `meltano run` does).
 */
export function parseJob(raw: RawMap, name: string, sourceFile: string): Job {
  const rawTasks = raw.tasks;
  const items = typeof rawTasks === 'string' ? [rawTasks] : asList(rawTasks);
  const tasks: string[][] = [];
  for (const item of items) {
    const text = Array.isArray(item)
      ? item
          .map(optString)
          .filter((part) => part !== null)
          .join(' ')
      : optString(item);
    const blocks = text === null ? [] : splitBlocks(text);
    if (blocks.length > 0) tasks.push(blocks);
  }
  return { name, tasks, source_file: sourceFile };
}

const OVERRIDE_KEYS = new Set(['name', 'config', 'env']);

/** An environment: `env`, `state_id_suffix` and per-plugin overrides under `config.plugins.<type>[]`. */
export function parseEnvironment(raw: RawMap, name: string, sourceFile: string): Environment {
  const plugins: EnvironmentPluginOverride[] = [];
  for (const [type, list] of Object.entries(asRecord(asRecord(raw.config).plugins))) {
    for (const item of asList(list)) {
      if (!isRecord(item)) continue;
      const pluginName = optString(item.name);
      if (!pluginName) continue;
      const extras: RawMap = {};
      for (const [key, value] of Object.entries(item)) if (!OVERRIDE_KEYS.has(key)) extras[key] = value;
      plugins.push({
        type,
        name: pluginName,
        config: asRecord(item.config),
        env: toEnvRecord(item.env),
        extras,
      });
    }
  }
  return {
    name,
    env: toEnvRecord(raw.env),
    plugins,
    state_id_suffix: optString(raw.state_id_suffix),
    source_file: sourceFile,
  };
}
