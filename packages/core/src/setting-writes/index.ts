export {
  type PluginSettingWriteOptions,
  setPluginSetting,
  unsetPluginSetting,
} from './plugin-setting.writer.js';
export { setProjectSetting, unsetProjectSetting } from './project-setting.writer.js';
export type { SettingSetResult, SettingUnsetResult, SettingWriteOptions } from './setting-write.js';
