import path from 'node:path';
import type { Environment, Project } from '../project/project.types.js';
import { redactConfig, redactEnvMap } from './redact.js';

export interface EnvironmentView {
  name: string;
  env: Record<string, string>;
  state_id_suffix: string | null;
  plugin_overrides: {
    type: string;
    name: string;
    config: Record<string, unknown>;
    env: Record<string, string>;
    /** Other keys of the override (`select`, `metadata`, `schema`, …), URI passwords masked. */
    extras: Record<string, unknown>;
  }[];
  source_file: string;
}

/** An environment as the API shows it: what it overrides, with secrets redacted. */
export function environmentView(project: Project, environment: Environment): EnvironmentView {
  return {
    name: environment.name,
    env: redactEnvMap(environment.env),
    state_id_suffix: environment.state_id_suffix,
    plugin_overrides: environment.plugins.map((override) => {
      const plugin = project.plugins.find((p) => p.name === override.name);
      const secrets = new Set(plugin?.settings.filter((s) => s.sensitive).map((s) => s.name) ?? []);
      return {
        type: override.type,
        name: override.name,
        config: redactConfig(override.config, secrets),
        env: redactEnvMap(override.env),
        extras: redactConfig(override.extras, new Set()),
      };
    }),
    source_file: path.relative(project.root, environment.source_file),
  };
}
