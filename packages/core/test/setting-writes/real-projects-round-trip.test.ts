import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePluginSettings } from '../../src/plugin-settings/index.js';
import { loadProject } from '../../src/project/load-project.js';
import type { Project, ProjectPlugin } from '../../src/project/project.types.js';
import { flattenDots } from '../../src/project/raw-values.js';
import { setPluginSetting, unsetPluginSetting } from '../../src/setting-writes/index.js';
import { describeReal, realProject, withTempCopy } from '../project/fixture-paths.js';
import { changedRegion, realProjectRoots } from '../project-writes/helpers.js';
import { fixtureDbIn, snapshot } from './support.js';

const options = (plugin: ProjectPlugin) => ({
  pluginType: plugin.type,
  pluginName: plugin.name,
  processEnv: {},
});

/** Every file other than `except` is byte-identical. */
function expectOthersUnchanged(
  before: Record<string, string | null>,
  after: Record<string, string | null>,
  except: string,
) {
  for (const [file, text] of Object.entries(before))
    if (file !== except) expect(after[file], file).toBe(text);
}

/** A plugin config key written as a one-line string that the UI may rewrite in meltano.yml. */
function plainStringSetting(project: Project): { plugin: ProjectPlugin; name: string; raw: string } | null {
  for (const plugin of project.plugins) {
    const resolved = resolvePluginSettings(project, plugin, { processEnv: {} });
    for (const [name, raw] of Object.entries(flattenDots(plugin.config))) {
      const setting = resolved.find((s) => s.name === name);
      const kind = setting?.definition.kind ?? null;
      if (
        typeof raw === 'string' &&
        !raw.includes('\n') &&
        !/^\d{4}-\d{2}-\d{2}/.test(raw) &&
        (kind === null || kind === 'string') &&
        setting?.write_store === 'meltano_yml' &&
        !setting.definition.sensitive
      ) {
        return { plugin, name, raw };
      }
    }
  }
  return null;
}

describeReal('the 25 real projects', () => {
  describe.each(realProjectRoots())('setting writes on $folder / $projectDir', ({ folder, projectDir }) => {
    it('adds a setting to a plugin in the file it came from and removes it again, byte for byte', async () => {
      await withTempCopy(realProject(folder), async (dir) => {
        const root = join(dir, projectDir);
        const db = await fixtureDbIn(dir);
        try {
          const project = await loadProject(root);
          const original = await snapshot(root, project.files);
          const plugin =
            project.plugins.find((p) => Object.keys(p.config).length > 0) ??
            (project.plugins[0] as ProjectPlugin);
          const write = { root, db, ...options(plugin), setting: 'ui_round_trip' };
          const result = await setPluginSetting({ ...write, value: 'ui-value' });

          const after = await snapshot(root, project.files);
          if (result.store === 'db') {
            // The dogfood project is project_readonly: nothing but the DB changes.
            expect(after).toEqual(original);
          } else {
            expect(result).toMatchObject({ store: 'meltano_yml', file: plugin.source_file });
            const diff = changedRegion(original[plugin.source_file] ?? '', after[plugin.source_file] ?? '');
            expect(diff.added.join('\n')).toMatch(/ui_round_trip: ui-value$/);
            expect(diff.removed.filter((line) => !/^\s*config:/.test(line))).toEqual([]);
            expectOthersUnchanged(original, after, plugin.source_file);
          }
          expect(result.resolved).toMatchObject({ value: 'ui-value', source: result.store });

          const unset = await unsetPluginSetting(write);
          expect(unset.removed.map((r) => r.store)).toEqual([result.store]);
          if (Object.keys(plugin.config).length > 0 || result.store === 'db') {
            expect(await snapshot(root, project.files)).toEqual(original);
          }
        } finally {
          await db.close();
        }
      });
    });

    it('changes one line when an existing string setting gets a new value, and restores it', async () => {
      await withTempCopy(realProject(folder), async (dir) => {
        const root = join(dir, projectDir);
        const db = await fixtureDbIn(dir);
        try {
          const project = await loadProject(root);
          const target = plainStringSetting(project);
          if (!target) return;
          const file = target.plugin.source_file;
          const original = await snapshot(root, project.files);
          const write = { root, db, ...options(target.plugin), setting: target.name };

          await setPluginSetting({ ...write, value: 'ui-changed' });
          const after = await snapshot(root, project.files);
          const diff = changedRegion(original[file] ?? '', after[file] ?? '');
          expect(diff.removed).toHaveLength(1);
          expect(diff.added).toHaveLength(1);
          expect(diff.added[0]).toContain('ui-changed');
          expectOthersUnchanged(original, after, file);

          await setPluginSetting({ ...write, value: target.raw });
          expect(await snapshot(root, project.files)).toEqual(original);
        } finally {
          await db.close();
        }
      });
    });

    it('writes into an environment of the project, in the file that environment came from', async () => {
      await withTempCopy(realProject(folder), async (dir) => {
        const root = join(dir, projectDir);
        const db = await fixtureDbIn(dir);
        try {
          const project = await loadProject(root);
          const environment = project.environments[0];
          const plugin = project.plugins[0];
          if (!environment || !plugin) return;
          const original = await snapshot(root, project.files);
          const result = await setPluginSetting({
            root,
            db,
            ...options(plugin),
            environment: environment.name,
            setting: 'ui_env_setting',
            value: 'in-env',
          });
          if (result.store === 'db') return;
          expect(result).toMatchObject({ store: 'meltano_environment', file: environment.source_file });
          const after = await snapshot(root, project.files);
          const diff = changedRegion(
            original[environment.source_file] ?? '',
            after[environment.source_file] ?? '',
          );
          expect(
            diff.removed.filter((line) => !/^\s*(config|plugins|[a-z]+):( \{\}| \[\])?$/.test(line)),
          ).toEqual([]);
          expect(diff.added.join('\n')).toContain('ui_env_setting: in-env');
          expectOthersUnchanged(original, after, environment.source_file);
          expect(result.resolved).toMatchObject({ value: 'in-env', source: 'meltano_environment' });
        } finally {
          await db.close();
        }
      });
    });
  });
});
