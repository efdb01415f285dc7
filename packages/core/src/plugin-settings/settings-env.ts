import { join } from 'node:path';
import { expandEnvVars } from '../project/env-expand.js';
import type { Environment, Project, ProjectPlugin } from '../project/project.types.js';
import { pluginInfoEnv } from './setting-env-vars.js';

export type EnvMap = Record<string, string>;

/**
 * What Meltano's ProjectSettingsService sees as "the environment": the process env, then the
 * project's own variables, then meltano.yml's top-level `env:` *as written* (not expanded).
 */
export function projectSettingsEnv(
  project: Project,
  environment: Environment | null,
  processEnv: EnvMap,
): EnvMap {
  return {
    ...processEnv,
    MELTANO_PROJECT_ROOT: project.root,
    MELTANO_ENVIRONMENT: environment?.name ?? '',
    MELTANO_SYS_DIR_ROOT: processEnv.MELTANO_SYS_DIR_ROOT ?? join(project.root, '.meltano'),
    ...project.env,
  };
}

/**
 * The `env` layer of PluginSettingsService (v2.20–v4.2, same code): project env, plugin info vars, the
 * plugin's `env:` as written, the active environment's `env:` expanded once against all of that, then
 * the environment's plugin `env:` as written. Only the environment's own `env:` is expanded, so a
 * value like `STACKED: ${STACKED}4` stays literal here; that is why Meltano itself resolves a setting
 * `${STACKED}` to `${STACKED}4` (the FIXME in the meltano-env-precedence example).
 * `base` is the child's env when resolving an inherited parent, as Meltano passes `env_override` down.
 */
export function pluginSettingsEnv(
  project: Project,
  plugin: ProjectPlugin,
  environment: Environment | null,
  processEnv: EnvMap,
  base?: EnvMap,
): EnvMap {
  const env: EnvMap = {
    ...(base ?? projectSettingsEnv(project, environment, processEnv)),
    ...pluginInfoEnv(plugin),
    ...plugin.env,
  };
  if (environment) {
    const expanded: EnvMap = {};
    for (const [key, value] of Object.entries(environment.env))
      expanded[key] = expandEnvVars(value, env) ?? '';
    Object.assign(env, expanded);
    const override = environment.plugins.find((p) => p.type === plugin.type && p.name === plugin.name);
    Object.assign(env, override?.env ?? {});
  }
  return env;
}
