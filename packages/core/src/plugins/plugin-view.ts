import path from 'node:path';
import {
  describeEnvMap,
  type EnvContext,
  type EnvReference,
  projectEnvContext,
} from '../plugin-settings/env-references.js';
import type { Project, ProjectPlugin, SettingDefinition } from '../project/project.types.js';
import { invokableNames, pluginUsage } from './plugin-usage.js';
import { REDACTED, redactConfig, redactEnvMap } from './redact.js';

export interface SettingView {
  name: string;
  kind: string | null;
  label: string | null;
  description: string | null;
  sensitive: boolean;
  /** The definition's default; `(redacted)` for secrets that have one. */
  default: unknown;
}

export interface PluginView {
  type: string;
  name: string;
  variant: string | null;
  namespace: string | null;
  inherit_from: string | null;
  parent: string | null;
  pip_url: string | null;
  executable: string | null;
  label: string | null;
  description: string | null;
  docs: string | null;
  logo_url: string | null;
  capabilities: string[];
  config: Record<string, unknown>;
  env: Record<string, string>;
  /** Each `${VAR}` the env values read: whether it is set and where from, never its value. */
  env_references: EnvReference[];
  commands: string[];
  /** A mapper's mapping names: a job task names one to run the mapper with that mapping. */
  mappings: string[];
  settings: SettingView[];
  /** Path relative to the project root. */
  source_file: string;
  lock_file: string | null;
  used_by: { schedules: string[]; jobs: string[] };
}

function settingView(def: SettingDefinition): SettingView {
  return {
    name: def.name,
    kind: def.kind,
    label: def.label,
    description: def.description,
    sensitive: def.sensitive,
    default: def.sensitive && def.value !== null && def.value !== undefined ? REDACTED : (def.value ?? null),
  };
}

function usedBy(project: Project, plugin: ProjectPlugin): PluginView['used_by'] {
  const { schedules, jobs } = pluginUsage(project, plugin.type, plugin.name);
  return { schedules, jobs };
}

/** A plugin as the API shows it: inheritance resolved, secrets `(redacted)`, paths relative. */
export function pluginView(
  project: Project,
  plugin: ProjectPlugin,
  /** What `${VAR}`s are checked against (projectEnvContext with the process env); built once per request. */
  envContext: EnvContext = projectEnvContext(project, {}),
): PluginView {
  const secretNames = new Set(plugin.settings.filter((s) => s.sensitive).map((s) => s.name));
  return {
    type: plugin.type,
    name: plugin.name,
    variant: plugin.variant,
    namespace: plugin.namespace,
    inherit_from: plugin.inherit_from,
    parent: plugin.parent,
    pip_url: plugin.pip_url,
    executable: plugin.executable,
    label: plugin.label,
    description: plugin.description,
    docs: plugin.docs,
    logo_url: plugin.logo_url,
    capabilities: plugin.capabilities,
    config: redactConfig(plugin.resolved_config, secretNames),
    env: redactEnvMap(plugin.env),
    env_references: describeEnvMap(plugin.env, envContext),
    commands: Object.keys(plugin.commands),
    mappings: [...invokableNames(plugin, plugin.name)].filter((name) => name !== plugin.name),
    settings: plugin.settings.map(settingView),
    source_file: path.relative(project.root, plugin.source_file),
    lock_file: plugin.lock_file === null ? null : path.relative(project.root, plugin.lock_file),
    used_by: usedBy(project, plugin),
  };
}
