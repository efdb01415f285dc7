import { chmod, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SystemDatabase } from '../../src/db/system-database.js';
import { ConflictError, type CoreError, InvalidInputError } from '../../src/errors.js';
import { readPluginSettingRows, resolvePluginSettings } from '../../src/plugin-settings/index.js';
import { loadProject } from '../../src/project/load-project.js';
import { setPluginSetting, unsetPluginSetting } from '../../src/setting-writes/index.js';
import { realMeltano, withTempCopy } from '../project/fixture-paths.js';
import { changedRegion } from '../project-writes/helpers.js';
import { fixtureDbIn, readText, snapshot } from './support.js';

/** A writable copy of the real v4.2.2 project (meltano.yml, .env, lock file) and its system DB. */
async function withProject(fn: (root: string, db: SystemDatabase) => Promise<void>): Promise<void> {
  await withTempCopy(realMeltano('v4.2.2'), async (root) => {
    const db = await fixtureDbIn(root);
    try {
      await fn(root, db);
    } finally {
      await db.close();
    }
  });
}

const plugin = (type: string, name: string) => ({ pluginType: type, pluginName: name, processEnv: {} });
const extractor = (name: string) => plugin('extractors', name);

async function caught(promise: Promise<unknown>): Promise<CoreError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected a rejection');
  return error as CoreError;
}

describe('setPluginSetting on a copy of the real Meltano 4.2.2 project', () => {
  it('writes a non-secret into the plugin’s config: one line of meltano.yml changes', async () => {
    await withProject(async (root, db) => {
      const yml = join(root, 'meltano.yml');
      const before = await snapshot(root, [yml]);
      const result = await setPluginSetting({
        root,
        db,
        ...extractor('tap-demo'),
        setting: 'mode',
        value: 'fast',
      });

      expect(result).toMatchObject({ setting: 'mode', store: 'meltano_yml', file: yml, env_var: null });
      expect(changedRegion(before[yml] ?? '', (await readText(yml)) ?? '')).toMatchObject({
        removed: ['      mode: ok'],
        added: ['      mode: fast'],
      });
      expect(await readText(join(root, '.env'))).toBe(before[join(root, '.env')]);
      expect(result.resolved).toMatchObject({ value: 'fast', source: 'meltano_yml' });
    });
  });

  it('types an integer and adds it under the existing keys; refuses a non-number naming the setting', async () => {
    await withProject(async (root, db) => {
      const yml = join(root, 'meltano.yml');
      const before = (await readText(yml)) ?? '';
      const result = await setPluginSetting({
        root,
        db,
        ...extractor('tap-demo'),
        setting: 'sleep_seconds',
        value: '5',
      });
      expect(changedRegion(before, (await readText(yml)) ?? '')).toMatchObject({
        removed: [],
        added: ['      sleep_seconds: 5'],
      });
      expect(result.resolved).toMatchObject({ value: 5, source: 'meltano_yml' });

      const error = await caught(
        setPluginSetting({ root, db, ...extractor('tap-demo'), setting: 'sleep_seconds', value: 'soon' }),
      );
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.message).toContain("Setting 'sleep_seconds' (integer) must be a whole number");
      expect(error.details).toMatchObject({ setting: 'sleep_seconds' });
    });
  });

  it('puts a secret in .env as the plugin’s variable, never in meltano.yml, and never echoes it', async () => {
    await withProject(async (root, db) => {
      const yml = join(root, 'meltano.yml');
      const before = await readText(yml);
      const result = await setPluginSetting({
        root,
        db,
        ...extractor('tap-demo'),
        setting: 'api_key',
        value: 'sk-new',
      });
      expect(result).toMatchObject({
        store: 'dotenv',
        file: join(root, '.env'),
        env_var: 'TAP_DEMO_API_KEY',
      });
      expect(await readText(join(root, '.env'))).toBe("TAP_DEMO_API_KEY='sk-new'\n");
      expect(await readText(yml)).toBe(before);
      expect(result.resolved).toMatchObject({ source: 'dotenv', value: '(redacted)', redacted: true });
      expect(JSON.stringify(result)).not.toContain('sk-new');

      // tap-demo-fail's own secret is in the system DB; Meltano's auto store still picks .env, which wins.
      const fail = await setPluginSetting({
        root,
        db,
        ...extractor('tap-demo-fail'),
        setting: 'api_key',
        value: 'sk-fail',
      });
      expect(fail.env_var).toBe('TAP_DEMO_FAIL_API_KEY');
      expect(await readText(join(root, '.env'))).toBe(
        "TAP_DEMO_API_KEY='sk-new'\nTAP_DEMO_FAIL_API_KEY='sk-fail'\n",
      );
      expect(fail.resolved.source).toBe('dotenv');
      expect(await readText(yml)).toBe(before);
    });
  });

  it('writes into the active environment’s block, creating it under a bare environment', async () => {
    await withProject(async (root, db) => {
      const yml = join(root, 'meltano.yml');
      let before = (await readText(yml)) ?? '';
      const prod = await setPluginSetting({
        root,
        db,
        ...extractor('tap-demo'),
        environment: 'prod',
        setting: 'mode',
        value: 'prod-2',
      });
      expect(prod).toMatchObject({ store: 'meltano_environment', file: yml });
      expect(changedRegion(before, (await readText(yml)) ?? '')).toMatchObject({
        removed: ['          mode: ok-prod'],
        added: ['          mode: prod-2'],
      });
      expect(prod.resolved).toMatchObject({ value: 'prod-2', source: 'meltano_environment' });

      before = (await readText(yml)) ?? '';
      const staging = await setPluginSetting({
        root,
        db,
        ...plugin('loaders', 'target-demo'),
        environment: 'staging',
        setting: 'output_dir',
        value: 'staging-out',
      });
      const diff = changedRegion(before, (await readText(yml)) ?? '');
      expect(diff.removed).toEqual([]);
      expect(diff.added).toEqual([
        '  config:',
        '    plugins:',
        '      loaders:',
        '      - name: target-demo',
        '        config:',
        '          output_dir: staging-out',
      ]);
      expect(before.split('\n')[diff.start - 1]).toBe('- name: staging');
      expect(staging.resolved).toMatchObject({ value: 'staging-out', source: 'meltano_environment' });
      // Without the environment the base value is untouched.
      const project = await loadProject(root);
      const base = resolvePluginSettings(project, project.plugins.find((p) => p.name === 'target-demo')!, {
        processEnv: {},
      });
      expect(base[0]).toMatchObject({ value: 'output', source: 'meltano_yml' });
    });
  });

  it('tightens a .env others can read to 0600 when a secret goes into it, and says so', async () => {
    await withProject(async (root, db) => {
      const dotenv = join(root, '.env');
      await chmod(dotenv, 0o644);
      // A non-secret written to .env leaves the mode alone.
      await writeFile(dotenv, "TAP_DEMO_API_KEY='sk-demo-123'\nTAP_DEMO_MODE=from-dotenv\n");
      await chmod(dotenv, 0o644);
      const plain = await setPluginSetting({
        root,
        db,
        ...extractor('tap-demo'),
        setting: 'mode',
        value: 'm',
      });
      expect(plain.notices).toEqual([]);
      expect((await stat(dotenv)).mode & 0o777).toBe(0o644);

      const result = await setPluginSetting({
        root,
        db,
        ...extractor('tap-demo'),
        setting: 'api_key',
        value: 'sk-tight',
      });
      expect((await stat(dotenv)).mode & 0o777).toBe(0o600);
      expect(result.notices).toEqual([
        '.env was readable by other users (mode 0644); it now holds a secret, so its mode was changed to 0600',
      ]);
      expect(JSON.stringify(result)).not.toContain('sk-tight');

      // Already 0600: nothing to say. The same value again (no change to the text) still tightens.
      const again = await setPluginSetting({
        root,
        db,
        ...extractor('tap-demo'),
        setting: 'api_key',
        value: 'x',
      });
      expect(again.notices).toEqual([]);
      await chmod(dotenv, 0o640);
      const same = await setPluginSetting({
        root,
        db,
        ...extractor('tap-demo'),
        setting: 'api_key',
        value: 'x',
      });
      expect((await stat(dotenv)).mode & 0o777).toBe(0o600);
      expect(same.notices).toHaveLength(1);
    });
  });

  it('edits a non-secret in .env when that is where it wins from', async () => {
    await withProject(async (root, db) => {
      await writeFile(join(root, '.env'), "TAP_DEMO_API_KEY='sk-demo-123'\nTAP_DEMO_MODE=from-dotenv\n");
      const yml = join(root, 'meltano.yml');
      const before = await readText(yml);
      const result = await setPluginSetting({
        root,
        db,
        ...extractor('tap-demo'),
        setting: 'mode',
        value: 'dot',
      });
      expect(result).toMatchObject({ store: 'dotenv', env_var: 'TAP_DEMO_MODE' });
      expect(await readText(join(root, '.env'))).toBe(
        "TAP_DEMO_API_KEY='sk-demo-123'\nTAP_DEMO_MODE='dot'\n",
      );
      expect(await readText(yml)).toBe(before);
      expect(result.resolved).toMatchObject({ value: 'dot', source: 'dotenv' });
    });
  });

  it('reports a value from the process environment as locked and changes nothing', async () => {
    await withProject(async (root, db) => {
      const yml = join(root, 'meltano.yml');
      const before = await snapshot(root, [yml]);
      const processEnv = { TAP_DEMO_MODE: 'from-shell' };
      const project = await loadProject(root);
      const [mode] = resolvePluginSettings(project, project.plugins.find((p) => p.name === 'tap-demo')!, {
        processEnv,
      });
      expect(mode).toMatchObject({ source: 'env', write_store: null, locked: { env_var: 'TAP_DEMO_MODE' } });

      for (const write of [
        setPluginSetting({ root, db, ...extractor('tap-demo'), processEnv, setting: 'mode', value: 'x' }),
        unsetPluginSetting({ root, db, ...extractor('tap-demo'), processEnv, setting: 'mode' }),
      ]) {
        const error = await caught(write);
        expect(error).toBeInstanceOf(ConflictError);
        expect(error.code).toBe('setting_locked');
        expect(error.status).toBe(409);
        expect(error.message).toContain("environment variable TAP_DEMO_MODE of the UI's process");
        expect(error.details).toMatchObject({ locked: { source: 'env', env_var: 'TAP_DEMO_MODE' } });
      }
      expect(await snapshot(root, [yml])).toEqual(before);
    });
  });

  it('refuses a write based on an older version of the setting', async () => {
    await withProject(async (root, db) => {
      const project = await loadProject(root);
      const [mode] = resolvePluginSettings(project, project.plugins.find((p) => p.name === 'tap-demo')!, {
        processEnv: {},
      });
      const first = await setPluginSetting({
        root,
        db,
        ...extractor('tap-demo'),
        setting: 'mode',
        value: 'one',
        expectedVersion: mode?.version,
      });
      expect(first.resolved.version).not.toBe(mode?.version);
      const error = await caught(
        setPluginSetting({
          root,
          db,
          ...extractor('tap-demo'),
          setting: 'mode',
          value: 'two',
          expectedVersion: mode?.version,
        }),
      );
      expect(error).toMatchObject({ code: 'setting_changed', status: 409 });
      expect(error.details).toMatchObject({ version: first.resolved.version });
    });
  });

  it('adds a setting no definition names as a custom config key', async () => {
    await withProject(async (root, db) => {
      const yml = join(root, 'meltano.yml');
      const before = (await readText(yml)) ?? '';
      const result = await setPluginSetting({
        root,
        db,
        ...plugin('loaders', 'target-demo'),
        setting: 'batch.size',
        value: 100,
      });
      expect(changedRegion(before, (await readText(yml)) ?? '').added).toEqual([
        '      batch:',
        '        size: 100',
      ]);
      expect(result.resolved).toMatchObject({
        name: 'batch.size',
        custom: true,
        value: 100,
        source: 'meltano_yml',
      });
      await unsetPluginSetting({ root, db, ...plugin('loaders', 'target-demo'), setting: 'batch.size' });
      expect(await readText(yml)).toBe(before);
    });
  });
});

describe('a project file that does not parse', () => {
  it('is never written, and nothing else is either', async () => {
    await withProject(async (root, db) => {
      const yml = join(root, 'meltano.yml');
      const broken = `${await readText(yml)}plugins: [unclosed\n`;
      await writeFile(yml, broken);
      const before = await snapshot(root, [yml]);
      for (const setting of ['mode', 'api_key']) {
        const error = await caught(
          setPluginSetting({ root, db, ...extractor('tap-demo'), setting, value: 'x' }),
        );
        expect(error.code).toBe('project_file_invalid');
      }
      expect(await snapshot(root, [yml])).toEqual(before);
    });
  });
});

describe('concurrent setting writes', () => {
  it('serialise on the project lock: no edit is lost, in meltano.yml or .env', async () => {
    await withProject(async (root, db) => {
      const names = Array.from({ length: 8 }, (_, i) => `parallel_${i}`);
      await Promise.all([
        ...names.map((setting, i) =>
          setPluginSetting({ root, db, ...plugin('loaders', 'target-demo'), setting, value: `v${i}` }),
        ),
        setPluginSetting({ root, db, ...extractor('tap-demo'), setting: 'api_key', value: 'sk-parallel' }),
        setPluginSetting({ root, db, ...extractor('tap-demo-slow'), setting: 'api_key', value: 'sk-slow' }),
      ]);
      const project = await loadProject(root);
      expect(project.plugins.find((p) => p.name === 'target-demo')?.config).toEqual({
        output_dir: 'output',
        ...Object.fromEntries(names.map((name, i) => [name, `v${i}`])),
      });
      expect(project.dotenv).toEqual({ TAP_DEMO_API_KEY: 'sk-parallel', TAP_DEMO_SLOW_API_KEY: 'sk-slow' });
    });
  });
});

describe('unsetPluginSetting on a copy of the real Meltano 4.2.2 project', () => {
  it('removes a secret from .env', async () => {
    await withProject(async (root, db) => {
      const result = await unsetPluginSetting({ root, db, ...extractor('tap-demo'), setting: 'api_key' });
      expect(result.removed).toEqual([{ store: 'dotenv', file: join(root, '.env') }]);
      expect(await readText(join(root, '.env'))).toBe('');
      expect(result.resolved).toMatchObject({ source: 'default', is_set: false });
    });
  });

  it('removes the config key and the `config:` it empties; the inherited value shows again', async () => {
    await withProject(async (root, db) => {
      const yml = join(root, 'meltano.yml');
      const before = (await readText(yml)) ?? '';
      const result = await unsetPluginSetting({ root, db, ...extractor('tap-demo-fail'), setting: 'mode' });
      expect(result.removed).toEqual([{ store: 'meltano_yml', file: yml }]);
      expect(changedRegion(before, (await readText(yml)) ?? '')).toMatchObject({
        removed: ['    config:', '      mode: fail'],
        added: [],
      });
      expect(result.resolved).toMatchObject({
        value: 'ok',
        source: 'inherited',
        inherited_source: 'meltano_yml',
      });
    });
  });

  it('deletes the system database row', async () => {
    await withProject(async (root, db) => {
      const result = await unsetPluginSetting({
        root,
        db,
        ...extractor('tap-demo-fail'),
        setting: 'api_key',
      });
      expect(result.removed).toEqual([{ store: 'db', file: null }]);
      const { rows } = await readPluginSettingRows(db);
      expect(rows.map((row) => row.name)).toEqual(['output_dir']);
      expect(result.resolved).toMatchObject({
        source: 'inherited',
        inherited_source: 'dotenv',
        value: '(redacted)',
      });
    });
  });

  it('clears every store holding a value, like `meltano config unset`', async () => {
    await withProject(async (root, db) => {
      const result = await unsetPluginSetting({
        root,
        db,
        ...plugin('loaders', 'target-demo'),
        setting: 'output_dir',
      });
      expect(result.removed.map((r) => r.store)).toEqual(['meltano_yml', 'db']);
      expect(result.resolved).toMatchObject({ source: 'default', is_set: false });
    });
  });
});
