import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConflictError, InvalidInputError, NotFoundError } from '../../src/errors.js';
import type { PluginDefinition } from '../../src/plugin-catalog/catalog.types.js';
import { loadProject } from '../../src/project/load-project.js';
import { addPlugin, readPluginVersions, removePlugin } from '../../src/project-writes/index.js';
import { itReal, realMeltano, realProject, withTempCopy } from '../project/fixture-paths.js';
import { changedRegion } from './helpers.js';

const ANNOTATIONS = realProject('meltano__meltano', 'integration/example-library/meltano-annotations');
const MULTIFILE = realProject('meltano__meltano', 'tests/fixtures/multifile_project');

const GITHUB: PluginDefinition = {
  type: 'extractors',
  name: 'tap-github',
  variant: 'meltanolabs',
  namespace: 'tap_github',
  label: 'GitHub',
  description: 'Code hosting platform',
  logo_url: null,
  docs: 'https://hub.meltano.com/extractors/tap-github--meltanolabs',
  pip_url: 'meltanolabs-tap-github',
  executable: null,
  capabilities: ['catalog', 'discover', 'state'],
  settings: [{ name: 'auth_token', kind: 'password', sensitive: true }],
  raw: {
    name: 'tap-github',
    namespace: 'tap_github',
    variant: 'meltanolabs',
    pip_url: 'meltanolabs-tap-github',
    capabilities: ['catalog', 'discover', 'state'],
    settings: [{ name: 'auth_token', kind: 'password', sensitive: true }, { name: 'repositories' }],
    hub_only_key: 'kept in the lock file',
  },
};

const exists = (file: string) =>
  stat(file).then(
    () => true,
    () => false,
  );

describe('adding a plugin', () => {
  itReal(
    'appends what `meltano add` writes after the last plugin of its type and locks the definition',
    async () => {
      await withTempCopy(ANNOTATIONS, async (root) => {
        const before = await readFile(join(root, 'meltano.yml'), 'utf8');
        const result = await addPlugin(
          root,
          { type: 'extractors', name: 'tap-github' },
          { definition: GITHUB },
        );
        const after = await readFile(join(root, 'meltano.yml'), 'utf8');
        const diff = changedRegion(before, after);
        expect(diff.removed).toEqual([]);
        expect(diff.added).toEqual([
          '  - name: tap-github',
          '    variant: meltanolabs',
          '    pip_url: meltanolabs-tap-github',
        ]);
        expect(after.split('\n')[diff.start + diff.added.length]).toBe('  loaders:');
        expect(result).toMatchObject({
          type: 'extractors',
          name: 'tap-github',
          source_file: join(root, 'meltano.yml'),
        });

        const lock = JSON.parse(
          await readFile(join(root, 'plugins/extractors/tap-github--meltanolabs.lock'), 'utf8'),
        );
        expect(Object.keys(lock)[0]).toBe('plugin_type');
        expect(lock).toMatchObject({
          plugin_type: 'extractors',
          name: 'tap-github',
          hub_only_key: 'kept in the lock file',
        });
        const plugin = (await loadProject(root)).plugins.find((p) => p.name === 'tap-github');
        expect(plugin?.settings.map((s) => [s.name, s.sensitive])).toEqual([
          ['auth_token', true],
          ['repositories', false],
        ]);
        expect(plugin?.namespace).toBe('tap_github');
      });
    },
  );

  itReal('writes a custom plugin with its keys in Meltano’s order', async () => {
    await withTempCopy(ANNOTATIONS, async (root) => {
      const before = await readFile(join(root, 'meltano.yml'), 'utf8');
      await addPlugin(root, {
        type: 'loaders',
        name: 'target-custom',
        config: { path: 'out' },
        settings: [
          { name: 'path', label: 'Path' },
          { name: 'key', kind: 'password', sensitive: true },
        ],
        executable: './bin/target',
        namespace: 'target_custom',
      });
      const diff = changedRegion(before, await readFile(join(root, 'meltano.yml'), 'utf8'));
      expect(diff.added).toEqual([
        '  - name: target-custom',
        '    namespace: target_custom',
        '    executable: ./bin/target',
        '    settings:',
        '    - name: path',
        '      label: Path',
        '    - name: key',
        '      kind: password',
        '      sensitive: true',
        '    config:',
        '      path: out',
      ]);
      expect(await exists(join(root, 'plugins'))).toBe(false);
    });
  });

  itReal(
    'creates the type key, or `plugins:` itself, when missing, in the file’s own indentation',
    async () => {
      await withTempCopy(MULTIFILE, async (root) => {
        const before = await readFile(join(root, 'meltano.yml'), 'utf8');
        await addPlugin(root, {
          type: 'utilities',
          name: 'sqlfluff',
          variant: 'sqlfluff',
          pip_url: 'sqlfluff',
        });
        const diff = changedRegion(before, await readFile(join(root, 'meltano.yml'), 'utf8'));
        expect(diff.removed).toEqual([]);
        expect(diff.added).toEqual([
          '  utilities:',
          '  - name: sqlfluff',
          '    variant: sqlfluff',
          '    pip_url: sqlfluff',
        ]);
      });
      await withTempCopy(null, async (root) => {
        await writeFile(
          join(root, 'meltano.yml'),
          'default_environment: dev # keep\nenvironments:\n  - name: dev\n',
        );
        await addPlugin(root, { type: 'extractors', name: 'tap-x', namespace: 'tap_x' });
        expect(await readFile(join(root, 'meltano.yml'), 'utf8')).toBe(
          'default_environment: dev # keep\nenvironments:\n  - name: dev\nplugins:\n  extractors:\n    - name: tap-x\n      namespace: tap_x\n',
        );
        await writeFile(join(root, 'meltano.yml'), 'plugins: {}\nschedules: []\n');
        await addPlugin(root, { type: 'loaders', name: 'target-y', inherit_from: 'target-jsonl' });
        expect(await readFile(join(root, 'meltano.yml'), 'utf8')).toBe(
          'plugins:\n  loaders:\n  - name: target-y\n    inherit_from: target-jsonl\nschedules: []\n',
        );
      });
    },
  );

  itReal('refuses a taken name with 409 and bad input with 400 naming the field', async () => {
    await withTempCopy(ANNOTATIONS, async (root) => {
      const before = await readFile(join(root, 'meltano.yml'), 'utf8');
      const taken = await addPlugin(root, { type: 'extractors', name: 'target-jsonl' }).catch(
        (e: unknown) => e,
      );
      expect(taken).toBeInstanceOf(ConflictError);
      expect(taken).toMatchObject({ status: 409, code: 'plugin_exists', details: { type: 'loaders' } });

      const cases: [Parameters<typeof addPlugin>[1], Parameters<typeof addPlugin>[2], string][] = [
        [{ type: 'models', name: 'tap-a' }, {}, 'type'],
        [{ type: 'extractor', name: 'tap-a' }, {}, 'type'],
        [{ type: 'extractors', name: 'tap a' }, {}, 'name'],
        [{ type: 'extractors', name: 'dbt:run' }, {}, 'name'],
        [{ type: 'extractors', name: 'tap-a', inherit_from: 'tap-a' }, {}, 'inherit_from'],
        [{ type: 'extractors', name: 'tap-a', pip_url: ' ' }, {}, 'pip_url'],
        [
          { type: 'extractors', name: 'tap-a', settings: [{ name: 'x', kind: 'secret' }] },
          {},
          'settings[0].kind',
        ],
        [
          { type: 'extractors', name: 'tap-a', config: [] as unknown as Record<string, unknown> },
          {},
          'config',
        ],
        [{ type: 'extractors', name: 'tap-github', variant: 'singer-io' }, { definition: GITHUB }, 'variant'],
        [{ type: 'extractors', name: 'tap-a' }, { definition: GITHUB }, 'name'],
      ];
      for (const [input, options, field] of cases) {
        const error = await addPlugin(root, input, options).catch((e: unknown) => e);
        expect(error, field).toBeInstanceOf(InvalidInputError);
        expect((error as InvalidInputError).details?.field).toBe(field);
      }
      expect(await readFile(join(root, 'meltano.yml'), 'utf8')).toBe(before);
    });
  });

  itReal('keeps an existing lock file and locks an inheriting plugin under its parent’s name', async () => {
    await withTempCopy(ANNOTATIONS, async (root) => {
      const result = await addPlugin(
        root,
        { type: 'extractors', name: 'tap-github-2', inherit_from: 'tap-github' },
        { definition: GITHUB },
      );
      expect(result.lock_file).toBe(join(root, 'plugins/extractors/tap-github--meltanolabs.lock'));
      await writeFile(result.lock_file ?? '', '{"pinned": true}\n');
      await addPlugin(root, { type: 'extractors', name: 'tap-github' }, { definition: GITHUB });
      expect(await readFile(result.lock_file ?? '', 'utf8')).toBe('{"pinned": true}\n');
      expect(await readFile(join(root, 'meltano.yml'), 'utf8')).toContain(
        '  - name: tap-github-2\n    inherit_from: tap-github\n    variant: meltanolabs\n    pip_url: meltanolabs-tap-github\n',
      );
    });
  });
});

describe('removing a plugin', () => {
  it('refuses while schedules, jobs or inheriting plugins use it, listing them', async () => {
    await withTempCopy(realMeltano('v4.2.2'), async (root) => {
      const before = await readFile(join(root, 'meltano.yml'), 'utf8');
      const error = await removePlugin(root, 'extractors', 'tap-demo').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({
        status: 409,
        code: 'plugin_in_use',
        details: {
          schedules: ['daily-demo', 'demo-job-schedule', 'cron-demo'],
          jobs: ['demo-job', 'multi-job'],
          plugins: [
            { type: 'extractors', name: 'tap-demo-fail' },
            { type: 'extractors', name: 'tap-demo-slow' },
          ],
          environments: ['prod'],
        },
      });
      expect((error as Error).message).toContain("schedule 'daily-demo'");
      expect(await readFile(join(root, 'meltano.yml'), 'utf8')).toBe(before);
      expect(await removePlugin(root, 'extractors', 'nope').catch((e: unknown) => e)).toBeInstanceOf(
        NotFoundError,
      );
    });
  });

  it('with force removes only the plugin’s lines, keeps environment overrides and the lock files children need', async () => {
    await withTempCopy(realMeltano('v4.2.2'), async (root) => {
      const before = await readFile(join(root, 'meltano.yml'), 'utf8');
      const result = await removePlugin(root, 'extractors', 'tap-demo', { force: true });
      const after = await readFile(join(root, 'meltano.yml'), 'utf8');
      const diff = changedRegion(before, after);
      expect(diff.added).toEqual([]);
      expect(diff.removed[0]).toBe('  - name: tap-demo');
      expect(diff.removed.at(-1)).toBe('      mode: ok');
      expect(after).toContain('      - name: tap-demo\n        config:\n          mode: ok-prod');
      expect(result.lock_files_removed).toEqual([]);
      expect(await exists(join(root, 'plugins/extractors/tap-demo.lock'))).toBe(true);

      await removePlugin(root, 'extractors', 'tap-demo-fail', { force: true });
      await removePlugin(root, 'extractors', 'tap-demo-slow', { force: true });
      expect(await exists(join(root, 'plugins/extractors/tap-demo.lock'))).toBe(true);
    });
  });

  itReal('deletes its own lock files and no one else’s', async () => {
    await withTempCopy(ANNOTATIONS, async (root) => {
      await addPlugin(root, { type: 'extractors', name: 'tap-github' }, { definition: GITHUB });
      await writeFile(join(root, 'plugins/extractors/tap-github-enterprise--x.lock'), '{}');
      const result = await removePlugin(root, 'extractors', 'tap-github');
      expect(result.lock_files_removed).toEqual([
        join(root, 'plugins/extractors/tap-github--meltanolabs.lock'),
      ]);
      expect(await exists(join(root, 'plugins/extractors/tap-github-enterprise--x.lock'))).toBe(true);
    });
  });

  itReal('edits the included file a plugin came from, leaving `plugins: {}` when it empties', async () => {
    await withTempCopy(MULTIFILE, async (root) => {
      const main = await readFile(join(root, 'meltano.yml'), 'utf8');
      const file = join(root, 'subfolder/subconfig_1.yml');
      const before = await readFile(file, 'utf8');
      await removePlugin(root, 'extractors', 'tap-subconfig-1-yml', { force: true });
      const after = await readFile(file, 'utf8');
      expect(changedRegion(before, after)).toMatchObject({
        removed: ['  extractors:', '    - name: tap-subconfig-1-yml'],
        added: [],
      });
      await removePlugin(root, 'loaders', 'target-subconfig-1-yml', { force: true });
      expect((await readFile(file, 'utf8')).split('\n').slice(0, 2)).toEqual(['plugins: {}', '']);
      expect(await readFile(join(root, 'meltano.yml'), 'utf8')).toBe(main);
    });
  });

  itReal('refuses with 409 when the entry changed since the version the caller saw', async () => {
    await withTempCopy(ANNOTATIONS, async (root) => {
      const seen = (await readPluginVersions(await loadProject(root))).loaders?.['target-jsonl'];
      expect(seen).toMatch(/^[0-9a-f]{16}$/);
      const file = join(root, 'meltano.yml');
      await writeFile(
        file,
        (await readFile(file, 'utf8')).replace('do_timestamp_file: false', 'do_timestamp_file: true'),
      );
      const error = await removePlugin(root, 'loaders', 'target-jsonl', { expectedVersion: seen }).catch(
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ status: 409, code: 'plugin_changed' });
    });
  });
});
