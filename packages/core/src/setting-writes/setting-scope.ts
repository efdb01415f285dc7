import type { PluginSettingRow } from '../plugin-settings/plugin-settings-rows.js';
import type {
  ResolvedPluginSetting,
  ResolveSettingsOptions,
} from '../plugin-settings/resolve-plugin-settings.js';
import type { WritableStore } from '../plugin-settings/setting-write-target.js';
import type { Project, SettingDefinition } from '../project/project.types.js';
import type { YamlPath } from './yaml-path.js';

/** Where one YAML store keeps a settings service's config: a mapping in one file. */
export interface YamlConfigPlace {
  file: string;
  /** The path of the config mapping (`plugins.<type>[name].config`, or the file's root for the project). */
  base: YamlPath;
  /** That config as loaded, flattened with dots. */
  flat: Record<string, unknown>;
}

/** One setting of one settings service (a plugin's or the project's), with every place it can be stored. */
export interface SettingScope {
  /** For messages: `extractor 'tap-x'`, `the project`. */
  owner: string;
  definition: SettingDefinition;
  resolved: ResolvedPluginSetting;
  /** The variables Meltano reads it from; `.env` writes use the first and remove the others. */
  envVars: string[];
  yaml: Partial<Record<Extract<WritableStore, 'meltano_yml' | 'meltano_environment'>, YamlConfigPlace>>;
  dbNamespace: string;
}

/** What a scope is built from, under the project lock. */
export interface ScopeInput {
  project: Project;
  rows: PluginSettingRow[];
  options: ResolveSettingsOptions;
}

export type ScopeBuilder = (input: ScopeInput) => SettingScope;

/** The stores that hold a value of the setting now (whether or not it is the winning one). */
export function storesHolding(scope: SettingScope, input: ScopeInput): WritableStore[] {
  const keys = [scope.definition.name, ...scope.definition.aliases];
  const holding: WritableStore[] = [];
  if (scope.envVars.some((name) => Object.hasOwn(input.project.dotenv, name))) holding.push('dotenv');
  for (const store of ['meltano_environment', 'meltano_yml'] as const) {
    const place = scope.yaml[store];
    if (place && keys.some((key) => Object.hasOwn(place.flat, key))) holding.push(store);
  }
  const inDb = input.rows.some(
    (row) => row.namespace === scope.dbNamespace && row.name === scope.definition.name,
  );
  if (inDb) holding.push('db');
  return holding;
}
