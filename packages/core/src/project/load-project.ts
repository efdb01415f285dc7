import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ProjectFileError, ProjectNotFoundError } from '../errors.js';
import { readDotenvWithReferences } from './dotenv.js';
import { resolveIncludePaths } from './include-paths.js';
import { parseEnvironment, parseJob, parseSchedule } from './load-entities.js';
import { buildPlugins, type RawPluginEntry } from './load-plugins.js';
import type { Environment, Job, Project, Schedule } from './project.types.js';
import {
  asList,
  deepMerge,
  flattenDots,
  isRecord,
  optString,
  type RawMap,
  stringList,
  toEnvRecord,
} from './raw-values.js';
import { readYamlFile, type YamlFile } from './yaml-file.js';

/** Top-level keys that are not project settings. */
export const NOT_SETTINGS = new Set(['plugins', 'schedules', 'jobs', 'environments', 'env', 'include_paths']);

/** The include patterns written in meltano.yml (only the root file's `include_paths` count). */
export function includePatterns(meltano: RawMap): string[] {
  return typeof meltano.include_paths === 'string'
    ? [meltano.include_paths]
    : stringList(meltano.include_paths);
}

/**
 * Read meltano.yml and every file its `include_paths` match, merged the way Meltano merges them, with each
 * plugin, schedule, job and environment remembering the file it came from. Throws ProjectNotFoundError when
 * there is no meltano.yml and ProjectFileError for anything broken in the files.
 */
export async function loadProject(root: string): Promise<Project> {
  const absRoot = resolve(root);
  const meltanoPath = join(absRoot, 'meltano.yml');
  const exists = await stat(meltanoPath).then(
    (info) => info.isFile(),
    () => false,
  );
  if (!exists) throw new ProjectNotFoundError(`No meltano.yml in ${absRoot}`);

  const main = await readYamlFile(meltanoPath, absRoot);
  const includedPaths = await resolveIncludePaths(absRoot, includePatterns(main.data));
  const included = await Promise.all(includedPaths.map((file) => readYamlFile(file, absRoot)));
  const files = [main, ...included];

  const seen = new Map<string, { file: YamlFile; line: number | null }>();
  const claim = (key: string, what: string, file: YamlFile, path: (string | number)[]) => {
    const where = file.locate(path);
    const first = seen.get(key);
    if (first) {
      const at = (f: YamlFile, line: number | null) => `${f.shown}${line ? ` line ${line}` : ''}`;
      throw new ProjectFileError(
        `Duplicate ${what}: defined in ${at(first.file, first.line)} and again in ${at(file, where.line)}`,
        { file: file.file, ...where },
      );
    }
    seen.set(key, { file, line: where.line });
  };

  const pluginEntries: RawPluginEntry[] = [];
  const schedules: Schedule[] = [];
  const jobs: Job[] = [];
  const environments: Environment[] = [];
  let merged: RawMap = {};

  for (const file of files) {
    const { plugins, schedules: rawSchedules, jobs: rawJobs, environments: rawEnvs, ...rest } = file.data;
    merged = deepMerge(merged, rest);

    if (plugins !== undefined && plugins !== null && !isRecord(plugins)) {
      throw shapeError(file, ['plugins'], '`plugins` must be a mapping of plugin types to lists');
    }
    for (const [type, list] of Object.entries(plugins ?? {})) {
      namedItems(file, ['plugins', type], list).forEach(([raw, name, path]) => {
        claim(`plugin\0${type}\0${name}`, `plugin '${name}' (${type})`, file, path);
        pluginEntries.push({ type, name, raw, file, index: path[2] as number });
      });
    }
    for (const [raw, name, path] of namedItems(file, ['schedules'], rawSchedules)) {
      claim(`schedule\0${name}`, `schedule '${name}'`, file, path);
      schedules.push(parseSchedule(raw, name, file.file));
    }
    for (const [raw, name, path] of namedItems(file, ['jobs'], rawJobs)) {
      claim(`job\0${name}`, `job '${name}'`, file, path);
      jobs.push(parseJob(raw, name, file.file));
    }
    for (const [raw, name, path] of namedItems(file, ['environments'], rawEnvs)) {
      claim(`environment\0${name}`, `environment '${name}'`, file, path);
      environments.push(parseEnvironment(raw, name, file.file));
    }
  }

  const settingsSource: RawMap = {};
  for (const [key, value] of Object.entries(merged)) if (!NOT_SETTINGS.has(key)) settingsSource[key] = value;

  const dotenvPath = join(absRoot, '.env');
  const dotenv = await readDotenvWithReferences(dotenvPath).catch((error: Error) => {
    throw new ProjectFileError(`.env: cannot read the file (${error.message})`, {
      file: dotenvPath,
      line: null,
      column: null,
    });
  });

  return {
    root: absRoot,
    files: files.map((file) => file.file),
    project_id: optString(merged.project_id),
    default_environment: optString(merged.default_environment),
    environments,
    plugins: await buildPlugins(absRoot, pluginEntries),
    schedules,
    jobs,
    env: toEnvRecord(merged.env),
    dotenv: dotenv.values,
    dotenv_references: dotenv.references,
    settings: flattenDots(settingsSource),
  };
}

function shapeError(file: YamlFile, path: (string | number)[], message: string): ProjectFileError {
  return new ProjectFileError(`${file.shown}: ${message}`, { file: file.file, ...file.locate(path) });
}

/** The mapping items of a list of named entities (`- name: x`), with their YAML paths; null/missing is empty. */
function namedItems(
  file: YamlFile,
  path: (string | number)[],
  value: unknown,
): [RawMap, string, (string | number)[]][] {
  if (value !== undefined && value !== null && !Array.isArray(value)) {
    throw shapeError(file, path, `\`${path.join('.')}\` must be a list`);
  }
  return asList(value).map((item, index) => {
    const itemPath = [...path, index];
    const name = isRecord(item) ? optString(item.name) : null;
    if (!isRecord(item) || !name) {
      throw shapeError(file, itemPath, `every item of \`${path.join('.')}\` needs a \`name\``);
    }
    return [item, name, itemPath];
  });
}
