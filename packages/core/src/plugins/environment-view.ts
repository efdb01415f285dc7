import path from 'node:path';
import {
  describeEnvMap,
  type EnvContext,
  type EnvReference,
  projectEnvContext,
} from '../plugin-settings/env-references.js';
import type { Environment, Project } from '../project/project.types.js';
import { redactConfig, redactEnvMap } from './redact.js';

export interface EnvironmentView {
  name: string;
  /** As written (`${VAR}` not expanded), secret-looking values `(redacted)`. */
  env: Record<string, string>;
  /** Each `${VAR}` the env values read: whether it is set and where from, never its value. */
  env_references: EnvReference[];
  state_id_suffix: string | null;
  plugin_overrides: {
    type: string;
    name: string;
    config: Record<string, unknown>;
    env: Record<string, string>;
    env_references: EnvReference[];
    /** Other keys of the override (`select`, `metadata`, `schema`, …), URI passwords masked. */
    extras: Record<string, unknown>;
  }[];
  source_file: string;
}

/** An environment as the API shows it: what it overrides, with secrets redacted. */
export function environmentView(
  project: Project,
  environment: Environment,
  /** What `${VAR}`s are checked against (projectEnvContext with the process env); built once per request. */
  envContext: EnvContext = projectEnvContext(project, {}),
): EnvironmentView {
  return {
    name: environment.name,
    env: redactEnvMap(environment.env),
    env_references: describeEnvMap(environment.env, envContext),
    state_id_suffix: environment.state_id_suffix,
    plugin_overrides: environment.plugins.map((override) => {
      const plugin = project.plugins.find((p) => p.name === override.name);
      const secrets = new Set(plugin?.settings.filter((s) => s.sensitive).map((s) => s.name) ?? []);
      return {
        type: override.type,
        name: override.name,
        config: redactConfig(override.config, secrets),
        env: redactEnvMap(override.env),
        env_references: describeEnvMap(override.env, envContext),
        extras: redactConfig(override.extras, new Set()),
      };
    }),
    source_file: path.relative(project.root, environment.source_file),
  };
}
