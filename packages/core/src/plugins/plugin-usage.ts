import type { Project, ProjectPlugin } from '../project/project.types.js';
import { asList, isRecord } from '../project/raw-values.js';

/** What in the project names a plugin: what breaks, or changes meaning, when the plugin goes away. */
export interface PluginUsage {
  /** ELT schedules that run it (as extractor, loader or transform step) and job schedules of jobs that do. */
  schedules: string[];
  /** Jobs with a task block naming it (`tap-x`, `dbt:run`, or one of a mapper's mappings). */
  jobs: string[];
  /** Plugins of the same type that `inherit_from` it. */
  plugins: { type: string; name: string }[];
  /** Environments holding an override for it; Meltano leaves these in place when a plugin is removed. */
  environments: string[];
}

/** The names a task block may use for this plugin: its own, and for a mapper each of its mappings. */
export function invokableNames(plugin: ProjectPlugin | undefined, name: string): Set<string> {
  const names = new Set([name]);
  for (const mapping of asList(plugin?.extras.mappings)) {
    if (isRecord(mapping) && typeof mapping.name === 'string') names.add(mapping.name);
  }
  return names;
}

/**
 * An ELT schedule runs its extractor and loader, and with `transform: run|only` the project's transformer
 * and the transform package sharing the extractor's namespace.
 */
export function eltUses(project: Project, type: string, plugin: ProjectPlugin | undefined, name: string) {
  return (schedule: Project['schedules'][number]): boolean => {
    if (schedule.kind !== 'elt') return false;
    if (type === 'extractors') return schedule.extractor === name;
    if (type === 'loaders') return schedule.loader === name;
    if (schedule.transform === 'skip') return false;
    if (type === 'transformers') return true;
    if (type !== 'transforms' || !plugin?.namespace) return false;
    const extractor = project.plugins.find((p) => p.type === 'extractors' && p.name === schedule.extractor);
    return extractor?.namespace === plugin.namespace;
  };
}

export function pluginUsage(project: Project, type: string, name: string): PluginUsage {
  const plugin = project.plugins.find((p) => p.type === type && p.name === name);
  const names = invokableNames(plugin, name);
  const jobs = project.jobs
    .filter((job) => job.tasks.some((task) => task.some((block) => names.has(block.split(':')[0] ?? ''))))
    .map((job) => job.name);
  const direct = eltUses(project, type, plugin, name);
  const schedules = project.schedules
    .filter((schedule) => (schedule.kind === 'job' ? jobs.includes(schedule.job) : direct(schedule)))
    .map((schedule) => schedule.name);
  return {
    schedules,
    jobs,
    plugins: project.plugins
      .filter((p) => p.type === type && p.inherit_from === name)
      .map((p) => ({ type: p.type, name: p.name })),
    environments: project.environments
      .filter((env) => env.plugins.some((p) => p.type === type && p.name === name))
      .map((env) => env.name),
  };
}

/** Whether removing the plugin would leave something pointing at nothing (environment overrides aside). */
export function isPluginInUse(usage: PluginUsage): boolean {
  return usage.schedules.length > 0 || usage.jobs.length > 0 || usage.plugins.length > 0;
}
