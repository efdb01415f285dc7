import type { SystemDatabase } from '../db/system-database.js';
import type { Project, ProjectPlugin } from '../project/project.types.js';
import { readPluginSettingRows } from './plugin-settings-rows.js';
import { type ResolvedPluginSetting, resolvePluginSettings } from './resolve-plugin-settings.js';

export interface PluginSettingsView {
  environment: string | null;
  settings: ResolvedPluginSetting[];
  /** plugin_settings rows whose value could not be decoded (skipped, as Meltano would fail on them). */
  undecodable_db_rows: number;
}

/** Every setting of a plugin as Meltano resolves it, with the system DB's plugin_settings layer. */
export async function pluginSettingsView(
  project: Project,
  plugin: ProjectPlugin,
  opts: { db: SystemDatabase; environment: string | null; processEnv: NodeJS.ProcessEnv },
): Promise<PluginSettingsView> {
  const { rows, undecodable } = await readPluginSettingRows(opts.db);
  const settings = resolvePluginSettings(project, plugin, {
    environment: opts.environment,
    processEnv: opts.processEnv,
    dbRows: rows,
    dbWritable: true,
  });
  return { environment: opts.environment, settings, undecodable_db_rows: undecodable.length };
}
