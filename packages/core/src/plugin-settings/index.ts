export {
  decodePluginSettingRows,
  type PluginSettingRow,
  type PluginSettingRows,
  PROJECT_DB_NAMESPACE,
  pluginDbNamespace,
  readPluginSettingRows,
} from './plugin-settings-rows.js';
export { type PluginSettingsView, pluginSettingsView } from './plugin-settings-view.js';
export { PickleError, type PickleValue, unpickle } from './python-pickle.js';
export {
  type ResolvedPluginSetting,
  type ResolveSettingsOptions,
  resolvePluginSettings,
  resolveProjectSettings,
  type WritableStore,
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
export { type EnvMap, pluginSettingsEnv, projectSettingsEnv } from './settings-env.js';
export { type PluginSettingSource, SETTING_SOURCES, type SettingConflict } from './settings-resolver.js';
