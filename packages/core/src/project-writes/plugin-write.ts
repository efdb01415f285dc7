import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ConflictError, CoreError, NotFoundError } from '../errors.js';
import { loadProject } from '../project/load-project.js';
import type { Project } from '../project/project.types.js';
import { asRecord, isRecord, type RawMap } from '../project/raw-values.js';
import { parseYamlText } from '../project/yaml-file.js';
import { atomicWriteYaml } from './atomic-write.js';
import type { WriteOptions, WriteResult } from './entity-write.js';
import { entityVersion, stableJson } from './fingerprint.js';
import { appendPluginItem, removePluginItem } from './plugin-list-edit.js';
import { withProjectLock } from './project-lock.js';
import { parseYamlSource } from './yaml-source.js';

export interface PluginWriteResult extends WriteResult {
  type: string;
}

/** An entry to append (built from the project as loaded under the lock), or one to remove. */
type PluginChange = {
  type: string;
  name: string;
  /** Runs under the same lock once the YAML is written (lock files go along with the entry). */
  after?(project: Project): Promise<void>;
} & (
  | { action: 'add'; entry(project: Project): RawMap }
  | { action: 'remove'; check(project: Project): void }
);

/**
 * One add or removal of one plugin entry, under the project lock: load fresh, find the file the plugin is in
 * (meltano.yml for a new one), check the caller's version, splice, check the result reads back as intended,
 * and replace the file atomically, like the schedule and job writers.
 */
export async function writePluginEntry(
  root: string,
  change: PluginChange,
  options: WriteOptions = {},
): Promise<PluginWriteResult> {
  return withProjectLock(
    root,
    async () => {
      const project = await loadProject(root);
      const { type, name } = change;
      const existing =
        change.action === 'remove'
          ? project.plugins.find((p) => p.type === type && p.name === name)
          : undefined;
      if (change.action === 'remove' && !existing) {
        throw new NotFoundError('plugin', `There is no ${type.replace(/s$/, '')} named '${name}'`);
      }
      const file = existing?.source_file ?? join(project.root, 'meltano.yml');
      const text = await readFile(file, 'utf8');
      const source = parseYamlSource(file, text);
      const data = parseYamlText(file, text, project.root).data;
      const plugins = asRecord(data.plugins);
      const list = Array.isArray(plugins[type]) ? (plugins[type] as unknown[]) : [];
      const index = list.findIndex((item) => isRecord(item) && item.name === name);
      const current = existing && index >= 0 ? (list[index] as RawMap) : null;
      if (existing && current === null) {
        throw new CoreError('project_write_unsupported', 422, `Cannot locate plugin '${name}' in ${file}`);
      }
      if (
        current &&
        options.expectedVersion !== undefined &&
        entityVersion(current) !== options.expectedVersion
      ) {
        throw new ConflictError(
          'plugin_changed',
          `The plugin '${name}' was changed by someone else; reload and try again`,
          {
            name,
            version: entityVersion(current),
          },
        );
      }

      const isMain = file === join(project.root, 'meltano.yml');
      let updated: string;
      let expected: RawMap | undefined;
      let next: RawMap | null = null;
      if (change.action === 'add') {
        next = change.entry(project);
        updated = appendPluginItem(source, type, plugins, list, next);
        expected = { ...plugins, [type]: [...list, next] };
      } else {
        change.check(project);
        const rest = list.filter((_, i) => i !== index);
        updated = removePluginItem(source, type, plugins, list, index, !isMain);
        expected = { ...plugins, [type]: rest };
        if (rest.length === 0) delete expected[type];
        if (Object.keys(expected).length === 0 && isMain) expected = undefined;
      }
      verify(file, updated, project.root, data, expected);
      await atomicWriteYaml(file, updated, { root: project.root, expectedCurrent: text });
      await change.after?.(project);
      return { type, name, version: next === null ? null : entityVersion(next), source_file: file };
    },
    options.lock,
  );
}

/** The spliced text must hold exactly the intended `plugins:` and leave every other key as it was. */
function verify(file: string, text: string, root: string, before: RawMap, plugins: RawMap | undefined) {
  const after = parseYamlText(file, text, root, { remember: true }).data;
  const { plugins: _old, ...restBefore } = before;
  const { plugins: got, ...restAfter } = after;
  if (stableJson(got) !== stableJson(plugins) || stableJson(restAfter) !== stableJson(restBefore)) {
    throw new CoreError(
      'project_write_failed',
      500,
      `Editing ${relative(root, file)} did not produce the intended plugins`,
    );
  }
}
