import { join } from 'node:path';
import { InvalidInputError } from '../errors.js';
import { PROJECT_DB_NAMESPACE } from '../plugin-settings/plugin-settings-rows.js';
import { resolveProjectSettings } from '../plugin-settings/resolve-plugin-settings.js';
import { projectSettingEnvVars } from '../plugin-settings/setting-env-vars.js';
import { NOT_SETTINGS } from '../project/load-project.js';
import type { ScopeBuilder, ScopeInput, SettingScope } from './setting-scope.js';
import {
  type SettingSetResult,
  type SettingUnsetResult,
  type SettingWriteOptions,
  setSetting,
  unsetSetting,
} from './setting-write.js';

/**
 * `meltano config meltano set <setting> <value>`: a project setting (`cli.log_level`, `state_backend.uri`)
 * goes to meltano.yml (nested by its dots), or to `.env` as `MELTANO_<SETTING>` when it is a secret or
 * environment-specific (`database_uri`, `project_readonly`, ...), or to the system database (namespace
 * `meltano`) when the project is read-only. Environments cannot hold project settings.
 */
export async function setProjectSetting(
  options: SettingWriteOptions & { value: unknown },
): Promise<SettingSetResult> {
  return setSetting(options, projectScope(options.setting));
}

/** `meltano config meltano unset <setting>`: removed from every store that holds it. */
export async function unsetProjectSetting(options: SettingWriteOptions): Promise<SettingUnsetResult> {
  return unsetSetting(options, projectScope(options.setting));
}

function projectScope(setting: string): ScopeBuilder {
  if (setting.trim() === '' || setting !== setting.trim() || NOT_SETTINGS.has(setting.split('.')[0] ?? '')) {
    throw new InvalidInputError(`'${setting}' is not a project setting`, { field: 'setting' });
  }
  return ({ project, options }: ScopeInput): SettingScope => {
    const resolved = resolveProjectSettings(project, options, [setting]).find(
      (s) => s.name === setting,
    ) as SettingScope['resolved'];
    return {
      owner: 'the project',
      definition: resolved.definition,
      resolved,
      envVars: projectSettingEnvVars(resolved.definition),
      yaml: { meltano_yml: { file: join(project.root, 'meltano.yml'), base: [], flat: project.settings } },
      dbNamespace: PROJECT_DB_NAMESPACE,
    };
  };
}
