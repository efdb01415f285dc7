import { expandDeep } from '../project/env-expand.js';
import type { SettingDefinition } from '../project/project.types.js';
import { castValue } from './setting-value.js';
import type { EnvMap } from './settings-env.js';

/** Meltano's `SettingValueStore`, in precedence order (highest first). */
export const SETTING_SOURCES = [
  'config_override',
  'env',
  'dotenv',
  'meltano_environment',
  'meltano_yml',
  'db',
  'inherited',
  'default',
] as const;
export type PluginSettingSource = (typeof SETTING_SOURCES)[number];

/** Two candidate env vars (or a name and an alias in meltano.yml) set at once: Meltano refuses to pick. */
export interface SettingConflict {
  /** `multiple_env_vars_set` when the values are equal, else `conflicting_setting_value` (Meltano's two exceptions). */
  kind: 'multiple_env_vars_set' | 'conflicting_setting_value';
  source: PluginSettingSource;
  /** The env var names or config keys involved; never their values. */
  keys: string[];
}

/** A value before redaction, as one layer produced it. */
export interface RawSetting {
  value: unknown;
  source: PluginSettingSource;
  inherited_source: PluginSettingSource | null;
  env_var: string | null;
  /** The variable the value was read from, kept when it is inherited (where `env_var` is null). */
  origin_var: string | null;
  expandable: boolean;
  conflict: SettingConflict | null;
}

export interface FinalSetting extends RawSetting {
  /** The value before `$VAR` expansion, when expansion changed it. */
  unexpanded: unknown;
  /** The value as written: `unexpanded` when expansion changed it, else `value`. */
  written: unknown;
}

/** The inputs of one settings service (a plugin, its parent, or the project). */
export interface SettingLayers {
  configOverride: Record<string, unknown>;
  env: EnvMap;
  dotenv: EnvMap;
  /** Flattened config of the active environment's override; null when none is active or supported. */
  environmentConfig: Record<string, unknown> | null;
  ymlConfig: Record<string, unknown>;
  db: Map<string, unknown>;
  /** The parent's unexpanded resolution, for project plugins that inherit from another. */
  inherited: ((setting: SettingDefinition) => RawSetting | null) | null;
  readEnvVars: (setting: SettingDefinition) => string[];
  definitions: SettingDefinition[];
}

const none = (source: PluginSettingSource): RawSetting => ({
  value: null,
  source,
  inherited_source: null,
  env_var: null,
  origin_var: null,
  expandable: false,
  conflict: null,
});

function fromEnv(
  layers: SettingLayers,
  setting: SettingDefinition,
  source: 'env' | 'dotenv',
): RawSetting | null {
  const env = source === 'env' ? layers.env : layers.dotenv;
  const found = layers.readEnvVars(setting).filter((name) => Object.hasOwn(env, name));
  if (found.length === 0) return null;
  if (found.length > 1) {
    const values = new Set(found.map((name) => env[name]));
    const kind = values.size === 1 ? 'multiple_env_vars_set' : 'conflicting_setting_value';
    return { ...none(source), conflict: { kind, source, keys: found } };
  }
  const name = found[0] as string;
  return { ...none(source), value: env[name], env_var: name, origin_var: name };
}

function fromConfig(
  config: Record<string, unknown>,
  setting: SettingDefinition,
  source: PluginSettingSource,
): RawSetting | null {
  const keys = [setting.name, ...setting.aliases].filter((key) => Object.hasOwn(config, key));
  if (keys.length === 0) return null;
  const values = keys.map((key) => JSON.stringify(config[key]));
  if (new Set(values).size > 1) {
    return { ...none(source), conflict: { kind: 'conflicting_setting_value', source, keys } };
  }
  return { ...none(source), value: config[keys[0] as string], expandable: true };
}

/**
 * `AutoStoreManager.get`: the first layer with a non-null value wins; a conflict stops the search the
 * way Meltano's exception does. Nothing found means the default layer (whose value may be null).
 */
export function resolveRaw(layers: SettingLayers, setting: SettingDefinition): RawSetting {
  const candidates: (() => RawSetting | null)[] = [
    () =>
      Object.hasOwn(layers.configOverride, setting.name)
        ? { ...none('config_override'), value: layers.configOverride[setting.name] }
        : null,
    () => fromEnv(layers, setting, 'env'),
    () => fromEnv(layers, setting, 'dotenv'),
    () =>
      layers.environmentConfig ? fromConfig(layers.environmentConfig, setting, 'meltano_environment') : null,
    () => fromConfig(layers.ymlConfig, setting, 'meltano_yml'),
    // The DB store looks up the setting's name only, not its aliases.
    () => (layers.db.has(setting.name) ? { ...none('db'), value: layers.db.get(setting.name) } : null),
    () => layers.inherited?.(setting) ?? null,
  ];
  for (const candidate of candidates) {
    const found = candidate();
    if (found && (found.conflict || (found.value !== null && found.value !== undefined))) return found;
  }
  return { ...none('default'), value: setting.value ?? null, expandable: setting.value !== null };
}

/**
 * `SettingsService.get_with_metadata`: expansion (against `.env` ∪ env layer), the object rebuilt from
 * dotted sub-keys when only a default or inherited value was found, then the cast.
 */
export function resolveFinal(
  layers: SettingLayers,
  setting: SettingDefinition,
  expandEnv: EnvMap,
  options: { expand: boolean } = { expand: true },
): FinalSetting {
  const raw = resolveRaw(layers, setting);
  const result: FinalSetting = { ...raw, unexpanded: undefined, written: raw.value };
  if (raw.conflict) return result;
  if (options.expand && raw.expandable) {
    result.expandable = false;
    const expanded = expandDeep(raw.value, expandEnv);
    if (JSON.stringify(expanded) !== JSON.stringify(raw.value)) {
      result.unexpanded = raw.value;
      result.value = expanded;
    }
  }
  if (setting.kind === 'object' && (result.source === 'default' || result.source === 'inherited')) {
    rebuildObject(layers, setting, expandEnv, options, result);
  }
  if (!result.expandable) result.value = castValue(setting, result.value);
  // Not cast when expansion changed it: `${PORT}` is kept as text, not read as an integer.
  result.written = result.unexpanded !== undefined ? result.unexpanded : result.value;
  return result;
}

function rebuildObject(
  layers: SettingLayers,
  setting: SettingDefinition,
  expandEnv: EnvMap,
  options: { expand: boolean },
  result: FinalSetting,
): void {
  const object: Record<string, unknown> = {};
  const written: Record<string, unknown> = {};
  let changed = false;
  let source = result.source;
  for (const key of [setting.name, ...setting.aliases]) {
    const prefix = `${key}.`;
    for (const nested of layers.definitions) {
      if (!nested.name.startsWith(prefix)) continue;
      const nestedKey = nested.name.slice(prefix.length);
      if (Object.hasOwn(object, nestedKey)) continue;
      const inner = resolveFinal(layers, nested, expandEnv, options);
      object[nestedKey] = inner.value;
      written[nestedKey] = inner.written;
      changed ||= inner.unexpanded !== undefined;
      if (SETTING_SOURCES.indexOf(inner.source) < SETTING_SOURCES.indexOf(source)) source = inner.source;
    }
  }
  if (Object.keys(object).length > 0) {
    result.value = object;
    result.unexpanded = changed ? written : undefined;
    result.source = source;
  }
}
