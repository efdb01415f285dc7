export {
  describeEnvMap,
  describeReferences,
  type EnvContext,
  type EnvReference,
  pluginEnvContext,
  projectEnvContext,
  type ReferenceReport,
  type ReferenceSource,
  secretEnvVarNames,
} from './env-references.js';
export {
  decodePluginSettingRows,
  type PluginSettingRow,
  type PluginSettingRows,
  PROJECT_DB_NAMESPACE,
  pluginDbNamespace,
  readPluginSettingRows,
} from './plugin-settings-rows.js';
export { type PluginSettingsView, pluginSettingsView } from './plugin-settings-view.js';
export { pickleDumps } from './python-pickle-writer.js';
export type { PyValue } from './python-value.js';
export {
  type ResolvedPluginSetting,
  type ResolveSettingsOptions,
  resolvePluginSettings,
  resolveProjectSettings,
} from './resolve-plugin-settings.js';
export {
  pluginInfoEnv,
  pluginSettingReadEnvVars,
  pluginSettingWriteEnvVars,
  pluginTypeSingular,
  pluginTypeVerb,
  projectSettingEnvVars,
  toEnvVar,
} from './setting-env-vars.js';
export type { SettingLock, WritableStore } from './setting-write-target.js';
export { type EnvMap, pluginSettingsEnv, projectSettingsEnv } from './settings-env.js';
export { type PluginSettingSource, SETTING_SOURCES, type SettingConflict } from './settings-resolver.js';
