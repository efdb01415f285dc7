import { CoreError, type Project, type ResolvedPluginSetting } from '@meltano-ui/core';
import type { FastifyInstance } from 'fastify';

/** A resolved setting as the API shows it (secrets already redacted by core). */
export function settingView(s: ResolvedPluginSetting) {
  return {
    name: s.name,
    label: s.definition.label,
    kind: s.definition.kind,
    description: s.definition.description,
    sensitive: s.definition.sensitive,
    options: s.definition.options,
    default: s.definition.value ?? null,
    custom: s.custom,
    value: s.value ?? null,
    is_set: s.is_set,
    redacted: s.redacted,
    source: s.source,
    inherited_source: s.inherited_source,
    env_var: s.env_var,
    expanded: s.expanded,
    expanded_value: s.expanded_value ?? null,
    expansion_hidden: s.expansion_hidden,
    references: s.references,
    env_vars: s.env_vars,
    conflict: s.conflict,
    writable_stores: s.writable_stores,
    auto_store: s.auto_store,
    overwritable: s.overwritable,
    write_store: s.write_store,
    locked: s.locked,
    version: s.version,
  };
}

/** The environment a settings page reads and writes: the one asked for, else the active one; 404 if unknown. */
export async function settingsEnvironment(
  fastify: FastifyInstance,
  project: Project,
  requested: string | undefined,
): Promise<string | null> {
  const environment = requested ?? (await fastify.core.activeEnvironment(project));
  if (environment !== null && !project.environments.some((e) => e.name === environment)) {
    throw new CoreError('environment_not_found', 404, `No environment named '${environment}'`);
  }
  return environment;
}
