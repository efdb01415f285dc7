import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project/load-project.js';
import { ADDABLE_PLUGIN_TYPES } from '../../src/project/project.types.js';
import { asRecord } from '../../src/project/raw-values.js';
import { parseYamlText } from '../../src/project/yaml-file.js';
import { addPlugin, removePlugin } from '../../src/project-writes/index.js';
import { describeReal, realProject, withTempCopy } from '../project/fixture-paths.js';
import { changedRegion, realProjectRoots } from './helpers.js';

async function snapshot(files: string[]): Promise<Map<string, string>> {
  return new Map(await Promise.all(files.map(async (file) => [file, await readFile(file, 'utf8')] as const)));
}

function changedFiles(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...before.keys()].filter((file) => before.get(file) !== after.get(file));
}

describeReal('the 25 real projects', () => {
  describe.each(realProjectRoots())(
    'plugins round trip on $folder / $projectDir',
    ({ folder, projectDir }) => {
      it('adds and removes plugins of a present and an absent type, restoring the original bytes', async () => {
        await withTempCopy(realProject(folder), async (dir) => {
          const root = join(dir, projectDir);
          const project = await loadProject(root);
          const main = join(project.root, 'meltano.yml');
          const original = await snapshot(project.files);
          const inMain = Object.keys(
            asRecord(parseYamlText(main, original.get(main) ?? '', root).data.plugins),
          );
          const present = ADDABLE_PLUGIN_TYPES.find((type) => inMain.includes(type));
          const absent = ADDABLE_PLUGIN_TYPES.find((type) => !inMain.includes(type));

          for (const type of [present, absent].filter((t) => t !== undefined)) {
            const count = (await loadProject(root)).plugins.length;
            const before = await snapshot(project.files);
            await addPlugin(root, {
              type,
              name: `ui-round-trip-${type}`,
              variant: 'x',
              pip_url: 'ui-round-trip',
            });
            const after = await snapshot(project.files);
            expect(changedFiles(before, after)).toEqual([main]);
            const diff = changedRegion(before.get(main) ?? '', after.get(main) ?? '');
            expect(diff.removed.filter((line) => line.trim() !== '')).toEqual([]);
            expect(diff.added.join('\n')).toContain(`name: ui-round-trip-${type}`);
            const reloaded = await loadProject(root);
            expect(reloaded.plugins.find((p) => p.name === `ui-round-trip-${type}`)).toMatchObject({
              type,
              variant: 'x',
              pip_url: 'ui-round-trip',
              source_file: main,
            });
            expect(reloaded.plugins).toHaveLength(count + 1);
          }
          for (const type of [absent, present].filter((t) => t !== undefined)) {
            await removePlugin(root, type, `ui-round-trip-${type}`);
          }
          expect(await snapshot(project.files)).toEqual(original);
        });
      });

      it('removes an existing plugin from its own file and nothing else', async () => {
        await withTempCopy(realProject(folder), async (dir) => {
          const root = join(dir, projectDir);
          const project = await loadProject(root);
          const plugin = project.plugins.at(-1);
          if (!plugin) return;
          const before = await snapshot(project.files);
          await removePlugin(root, plugin.type, plugin.name, { force: true });
          const after = await snapshot(project.files);
          expect(changedFiles(before, after)).toEqual([plugin.source_file]);
          const diff = changedRegion(
            before.get(plugin.source_file) ?? '',
            after.get(plugin.source_file) ?? '',
          );
          expect(diff.added.filter((line) => line.trim() !== '' && line !== 'plugins: {}')).toEqual([]);
          expect(diff.removed.join('\n')).toContain(plugin.name);
          const reloaded = await loadProject(root);
          expect(reloaded.plugins.map((p) => `${p.type}/${p.name}`)).toEqual(
            project.plugins.slice(0, -1).map((p) => `${p.type}/${p.name}`),
          );
        });
      });
    },
  );
});
