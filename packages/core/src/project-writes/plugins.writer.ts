import { readFile } from 'node:fs/promises';
import { ConflictError } from '../errors.js';
import type { PluginDefinition } from '../plugin-catalog/catalog.types.js';
import { isPluginInUse, pluginUsage } from '../plugins/plugin-usage.js';
import type { Project } from '../project/project.types.js';
import { asRecord, isRecord } from '../project/raw-values.js';
import { parseYamlText } from '../project/yaml-file.js';
import type { WriteOptions } from './entity-write.js';
import { entityVersion } from './fingerprint.js';
import { type PluginInput, pluginEntry, requirePluginName, requirePluginType } from './plugin-entry.js';
import { removeLockFiles, writeLockFile } from './plugin-lock-files.js';
import { type PluginWriteResult, writePluginEntry } from './plugin-write.js';

export interface AddPluginOptions extends WriteOptions {
  /**
   * The discoverable definition the plugin is added from (Meltano Hub or the bundled catalog): the entry
   * takes its variant and pip_url, and the definition is locked in `plugins/<type>/<name>--<variant>.lock`.
   */
  definition?: PluginDefinition;
}

export interface RemovePluginOptions extends WriteOptions {
  /** Remove it even though schedules, jobs or other plugins use it (they are left dangling, as by the CLI). */
  force?: boolean;
}

/**
 * Adds a plugin to `plugins.<type>` of meltano.yml (creating the keys it needs) as `meltano add` does. Only
 * the project files change: installing it is a separate step (PluginInstaller).
 */
export async function addPlugin(
  root: string,
  input: PluginInput,
  options: AddPluginOptions = {},
): Promise<PluginWriteResult & { lock_file: string | null }> {
  const type = requirePluginType(input.type);
  const name = requirePluginName(input.name, 'name');
  const { definition } = options;
  let lockFile: string | null = null;
  const result = await writePluginEntry(
    root,
    {
      action: 'add',
      type,
      name,
      entry(project) {
        // Unique across types too: job tasks and schedules name plugins without their type.
        const taken = project.plugins.find((p) => p.name === name);
        if (taken) {
          throw new ConflictError(
            'plugin_exists',
            `A plugin named '${name}' already exists (${taken.type})`,
            {
              type: taken.type,
              name,
            },
          );
        }
        return pluginEntry({ ...input, type, name }, definition);
      },
      async after(project) {
        if (definition) lockFile = await writeLockFile(project.root, definition);
      },
    },
    options,
  );
  return { ...result, lock_file: lockFile };
}

/**
 * Removes a plugin from the file it is defined in, and its own lock files. Refused (409 `plugin_in_use`,
 * the users in `details`) while schedules, jobs or inheriting plugins name it, unless `force`. Environment
 * overrides of it stay, as with `meltano remove`; its installation and system-DB settings are untouched.
 */
export async function removePlugin(
  root: string,
  type: string,
  name: string,
  options: RemovePluginOptions = {},
): Promise<PluginWriteResult & { lock_files_removed: string[] }> {
  const pluginType = requirePluginType(type);
  let removed: string[] = [];
  const result = await writePluginEntry(
    root,
    {
      action: 'remove',
      type: pluginType,
      name,
      check(project) {
        const usage = pluginUsage(project, pluginType, name);
        if (isPluginInUse(usage) && !options.force) {
          throw new ConflictError('plugin_in_use', inUseMessage(name, usage), { ...usage });
        }
      },
      async after(project) {
        removed = await removeLockFiles(project, pluginType, name);
      },
    },
    options,
  );
  return { ...result, lock_files_removed: removed };
}

function inUseMessage(name: string, usage: ReturnType<typeof pluginUsage>): string {
  const users = [
    ...usage.schedules.map((s) => `schedule '${s}'`),
    ...usage.jobs.map((j) => `job '${j}'`),
    ...usage.plugins.map((p) => `plugin '${p.name}'`),
  ];
  return `Cannot remove '${name}': used by ${users.join(', ')}`;
}

/** The current version of every plugin entry, by type and name, as `expectedVersion` wants them. */
export async function readPluginVersions(project: Project): Promise<Record<string, Record<string, string>>> {
  const versions: Record<string, Record<string, string>> = {};
  for (const file of project.files) {
    const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
    for (const [type, list] of Object.entries(
      asRecord(parseYamlText(file, text, project.root).data.plugins),
    )) {
      for (const item of Array.isArray(list) ? list : []) {
        if (!isRecord(item) || typeof item.name !== 'string') continue;
        versions[type] ??= {};
        versions[type][item.name] = entityVersion(item);
      }
    }
  }
  return versions;
}
