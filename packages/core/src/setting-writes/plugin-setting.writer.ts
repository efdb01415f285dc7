import { CoreError, InvalidInputError, NotFoundError } from '../errors.js';
import { pluginDbNamespace } from '../plugin-settings/plugin-settings-rows.js';
import { resolvePluginSettings } from '../plugin-settings/resolve-plugin-settings.js';
import { pluginSettingReadEnvVars, pluginTypeSingular } from '../plugin-settings/setting-env-vars.js';
import { customDefinition, flatConfig } from '../plugin-settings/setting-value.js';
import type { ScopeBuilder, ScopeInput, SettingScope } from './setting-scope.js';
import {
  type SettingSetResult,
  type SettingUnsetResult,
  type SettingWriteOptions,
  setSetting,
  unsetSetting,
} from './setting-write.js';

export interface PluginSettingWriteOptions extends SettingWriteOptions {
  pluginType: string;
  pluginName: string;
}

/**
 * `meltano config <plugin> set <setting> <value>`: a secret goes to `.env` (as `<PLUGIN>_<SETTING>`),
 * anything else to the plugin's `config:` in the file it is defined in, or to the active environment's
 * block for it; with `project_readonly`, to the system database as Meltano's pickle. A setting no
 * definition names becomes a custom one, as with the CLI.
 */
export async function setPluginSetting(
  options: PluginSettingWriteOptions & { value: unknown },
): Promise<SettingSetResult> {
  return setSetting(options, pluginScope(options));
}

/** `meltano config <plugin> unset <setting>`: removed from every store that holds it (none: nothing to do). */
export async function unsetPluginSetting(options: PluginSettingWriteOptions): Promise<SettingUnsetResult> {
  return unsetSetting(options, pluginScope(options));
}

function pluginScope(options: PluginSettingWriteOptions): ScopeBuilder {
  const { pluginType: type, pluginName: name, setting } = options;
  if (setting.trim() === '' || setting !== setting.trim()) {
    throw new InvalidInputError('A setting name is required, without surrounding spaces', {
      field: 'setting',
    });
  }
  if (setting.startsWith('_')) {
    throw new InvalidInputError(`'${setting}' is a plugin extra, not a setting`, { field: 'setting' });
  }
  return ({ project, options: resolveOptions }: ScopeInput): SettingScope => {
    const plugin = project.plugins.find((p) => p.type === type && p.name === name);
    const owner = `${pluginTypeSingular(type)} '${name}'`;
    if (!plugin) throw new NotFoundError('plugin', `There is no ${owner}`);
    let target = plugin;
    let resolved = resolvePluginSettings(project, target, resolveOptions).find((s) => s.name === setting);
    if (!resolved) {
      // A name no definition or config key has: Meltano's custom setting, kind-less.
      target = { ...plugin, settings: [...plugin.settings, customDefinition(setting, null)] };
      const custom = resolvePluginSettings(project, target, resolveOptions).find((s) => s.name === setting);
      if (!custom)
        throw new CoreError('setting_write_failed', 500, `Cannot resolve '${setting}' of ${owner}`);
      resolved = { ...custom, custom: true };
    }
    const environment = project.environments.find((e) => e.name === resolveOptions.environment);
    const override = environment?.plugins.find((p) => p.type === type && p.name === name);
    return {
      owner,
      definition: resolved.definition,
      resolved,
      envVars: pluginSettingReadEnvVars(target, resolved.definition),
      yaml: {
        meltano_yml: {
          file: plugin.source_file,
          base: ['plugins', type, { name }, 'config'],
          flat: flatConfig(plugin.config),
        },
        ...(environment && {
          meltano_environment: {
            file: environment.source_file,
            base: ['environments', { name: environment.name }, 'config', 'plugins', type, { name }, 'config'],
            flat: flatConfig(override?.config ?? {}),
          },
        }),
      },
      dbNamespace: pluginDbNamespace(type, name),
    };
  };
}
