import type { SystemDatabase } from '../db/system-database.js';
import { NotFoundError } from '../errors.js';
import { readPluginSettingRows } from '../plugin-settings/plugin-settings-rows.js';
import {
  type ResolvedPluginSetting,
  resolvePluginSettings,
} from '../plugin-settings/resolve-plugin-settings.js';
import { eltUses, invokableNames } from '../plugins/plugin-usage.js';
import type { Project, ProjectPlugin, Schedule } from '../project/project.types.js';

/** Every setting of one plugin a pipeline runs, as that run would resolve it. */
export interface PipelinePluginSettings {
  type: string;
  name: string;
  /** The names the pipeline calls it by (`dbt:run`, a mapper's mapping), in order of first use. */
  blocks: string[];
  settings: ResolvedPluginSetting[];
}

export interface PipelineEnvironmentView {
  /** The environment the settings are resolved for (null: none). */
  environment: string | null;
  plugins: PipelinePluginSettings[];
  /** Task blocks or schedule steps naming no plugin of the project (the run would fail on them). */
  unknown_blocks: string[];
  /** Variables the schedule's own `env` passes to its runs (they count as the process environment). */
  schedule_env_vars: string[];
  /** plugin_settings rows that could not be decoded (skipped, as Meltano would fail on them). */
  undecodable_db_rows: number;
}

type Pipeline = { kind: 'schedule'; name: string } | { kind: 'job'; name: string };

/** The plugins a job's tasks call, in order of first use: a block is `plugin`, `plugin:command` or a mapping. */
function taskPlugins(project: Project, tasks: string[][]) {
  const found = new Map<ProjectPlugin, string[]>();
  const unknown: string[] = [];
  for (const block of tasks.flat()) {
    const name = block.split(':')[0] ?? block;
    const plugin =
      project.plugins.find((p) => p.name === name) ??
      project.plugins.find((p) => p.type === 'mappers' && invokableNames(p, p.name).has(name));
    if (plugin === undefined) {
      if (!unknown.includes(block)) unknown.push(block);
      continue;
    }
    const blocks = found.get(plugin) ?? [];
    if (!blocks.includes(block)) blocks.push(block);
    found.set(plugin, blocks);
  }
  return { found, unknown };
}

/** An ELT schedule's extractor, loader and (unless `transform: skip`) transformer and transform package. */
function eltPlugins(project: Project, schedule: Extract<Schedule, { kind: 'elt' }>) {
  const found = new Map<ProjectPlugin, string[]>();
  const unknown: string[] = [];
  for (const name of [schedule.extractor, schedule.loader]) {
    if (!project.plugins.some((p) => p.name === name)) unknown.push(name);
  }
  const order = ['extractors', 'mappers', 'loaders', 'transforms', 'transformers'];
  const used = project.plugins
    .filter((p) => eltUses(project, p.type, p, p.name)(schedule))
    .sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  for (const p of used) found.set(p, [p.name]);
  return { found, unknown };
}

/**
 * The Environment tab of a pipeline: for each plugin it runs, every setting resolved for `environment`
 * (the active one unless another is picked) with the layer it came from, secrets redacted. A schedule's
 * `env` is the process environment of its runs (`meltano schedule run` passes it on), so it is a layer
 * here too, above `.env` and meltano.yml.
 */
export async function pipelineEnvironmentView(
  project: Project,
  pipeline: Pipeline,
  opts: { db: SystemDatabase; environment: string | null; processEnv: NodeJS.ProcessEnv },
): Promise<PipelineEnvironmentView> {
  let processEnv: NodeJS.ProcessEnv = opts.processEnv;
  let plugins: ReturnType<typeof taskPlugins>;
  let scheduleEnv: Record<string, string> = {};
  if (pipeline.kind === 'job') {
    const job = project.jobs.find((j) => j.name === pipeline.name);
    if (!job) throw new NotFoundError('job', `No job named '${pipeline.name}'`);
    plugins = taskPlugins(project, job.tasks);
  } else {
    const schedule = project.schedules.find((s) => s.name === pipeline.name);
    if (!schedule) throw new NotFoundError('schedule', `No schedule named '${pipeline.name}'`);
    scheduleEnv = { ...schedule.env };
    // MELTANO_ENVIRONMENT of the schedule picks the environment (the caller chose it), not a setting.
    delete scheduleEnv.MELTANO_ENVIRONMENT;
    processEnv = { ...opts.processEnv, ...scheduleEnv };
    if (schedule.kind === 'elt') plugins = eltPlugins(project, schedule);
    else {
      const job = project.jobs.find((j) => j.name === schedule.job);
      plugins = job ? taskPlugins(project, job.tasks) : { found: new Map(), unknown: [schedule.job] };
    }
  }
  const { rows, undecodable } = await readPluginSettingRows(opts.db);
  return {
    environment: opts.environment,
    plugins: [...plugins.found].map(([plugin, blocks]) => ({
      type: plugin.type,
      name: plugin.name,
      blocks,
      settings: resolvePluginSettings(project, plugin, {
        environment: opts.environment,
        processEnv,
        dbRows: rows,
        dbWritable: true,
      }),
    })),
    unknown_blocks: plugins.unknown,
    schedule_env_vars: Object.keys(scheduleEnv).sort(),
    undecodable_db_rows: undecodable.length,
  };
}

/** The environment a pipeline runs in by default: a schedule's own MELTANO_ENVIRONMENT, else the active one. */
export function pipelineDefaultEnvironment(project: Project, pipeline: Pipeline, active: string | null) {
  if (pipeline.kind !== 'schedule') return active;
  const override = project.schedules.find((s) => s.name === pipeline.name)?.env.MELTANO_ENVIRONMENT;
  if (override === undefined || override === '') return active;
  return override.toLowerCase() === 'null' ? null : override;
}
