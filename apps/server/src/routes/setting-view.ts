import type { ResolvedPluginSetting } from '@meltano-ui/core';

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
