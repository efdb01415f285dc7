import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openSystemDatabase } from '../../src/db/system-database.js';
import { readPluginSettingRows, resolvePluginSettings } from '../../src/plugin-settings/index.js';
import { loadProject } from '../../src/project/load-project.js';
import type { Project } from '../../src/project/project.types.js';
import { realMeltano, withTempCopy } from '../project/fixture-paths.js';

const SECRETS = ['sk-db-456', 'sk-demo-123'];

async function rowsOf(dbFile: string) {
  const db = openSystemDatabase({ kind: 'sqlite', file: dbFile, display: dbFile });
  try {
    return await readPluginSettingRows(db);
  } finally {
    await db.close();
  }
}

function byName(project: Project, name: string) {
  const plugin = project.plugins.find((p) => p.name === name);
  if (!plugin) throw new Error(name);
  return plugin;
}

describe.each(['v2.20.0', 'v3.9.5', 'v4.2.2'])('settings of the real Meltano %s project', (version) => {
  const root = realMeltano(version);

  it('reads and decodes plugin_settings from a copy of the DB', async () => {
    await withTempCopy(null, async (dir) => {
      const file = join(dir, 'meltano.db');
      await copyFile(join(root, '.meltano', 'meltano.db'), file);
      const { rows, undecodable } = await rowsOf(file);
      expect(undecodable).toEqual([]);
      expect(rows).toEqual([
        { namespace: 'loaders.target-demo.default', name: 'output_dir', value: 'output-from-db' },
        { namespace: 'extractors.tap-demo-fail.default', name: 'api_key', value: 'sk-db-456' },
      ]);
    });
  });

  it('has no rows when the DB file does not exist', async () => {
    await withTempCopy(null, async (dir) => {
      expect(await rowsOf(join(dir, 'missing.db'))).toEqual({ rows: [], undecodable: [] });
    });
  });

  it('resolves every layer as `meltano config list` printed it (outputs/config-db-store.txt)', async () => {
    await withTempCopy(null, async (dir) => {
      const file = join(dir, 'meltano.db');
      await copyFile(join(root, '.meltano', 'meltano.db'), file);
      const { rows } = await rowsOf(file);
      const project = await loadProject(root);
      const opts = { processEnv: {}, dbRows: rows };

      const target = resolvePluginSettings(project, byName(project, 'target-demo'), opts);
      expect(target).toHaveLength(1);
      expect(target[0]).toMatchObject({
        name: 'output_dir',
        value: 'output',
        source: 'meltano_yml',
        env_vars: ['TARGET_DEMO_OUTPUT_DIR'],
        write_env_vars: ['TARGET_DEMO_OUTPUT_DIR', 'MELTANO_LOAD_OUTPUT_DIR'],
        auto_store: 'meltano_yml',
        overwritable: true,
      });

      const fail = resolvePluginSettings(project, byName(project, 'tap-demo-fail'), opts);
      expect(fail.map((s) => [s.name, s.value, s.source, s.env_vars])).toEqual([
        ['mode', 'fail', 'meltano_yml', ['TAP_DEMO_FAIL_MODE']],
        ['sleep_seconds', null, 'default', ['TAP_DEMO_FAIL_SLEEP_SECONDS']],
        // .env's TAP_DEMO_API_KEY is not one of tap-demo-fail's variables, and the DB beats the parent.
        ['api_key', '(redacted)', 'db', ['TAP_DEMO_FAIL_API_KEY']],
      ]);
      expect(fail[2]).toMatchObject({
        is_set: true,
        redacted: true,
        auto_store: 'dotenv',
        write_env_vars: ['TAP_DEMO_FAIL_API_KEY', 'TAP_DEMO_API_KEY', 'MELTANO_EXTRACT_API_KEY'],
      });

      const tap = resolvePluginSettings(project, byName(project, 'tap-demo'), opts);
      expect(tap.find((s) => s.name === 'api_key')).toMatchObject({
        value: '(redacted)',
        is_set: true,
        source: 'dotenv',
        env_var: 'TAP_DEMO_API_KEY',
      });

      // tap-demo-slow has no value of its own: it inherits tap-demo's (from .env), still redacted.
      const slow = resolvePluginSettings(project, byName(project, 'tap-demo-slow'), opts);
      expect(slow.map((s) => [s.name, s.value, s.source, s.inherited_source])).toEqual([
        ['mode', 'ok', 'inherited', 'meltano_yml'],
        ['sleep_seconds', 20, 'meltano_yml', null],
        ['api_key', '(redacted)', 'inherited', 'dotenv'],
      ]);

      const prod = resolvePluginSettings(project, byName(project, 'tap-demo'), {
        ...opts,
        environment: 'prod',
      });
      expect(prod.find((s) => s.name === 'mode')).toMatchObject({
        value: 'ok-prod',
        source: 'meltano_environment',
      });
      // The child inherits the parent's *resolved* value, environment included.
      const failProdSlow = resolvePluginSettings(project, byName(project, 'tap-demo-slow'), {
        ...opts,
        environment: 'prod',
      });
      expect(failProdSlow.find((s) => s.name === 'mode')).toMatchObject({
        value: 'ok-prod',
        source: 'inherited',
      });

      const everything = JSON.stringify([target, fail, tap, slow, prod, failProdSlow]);
      for (const secret of SECRETS) expect(everything).not.toContain(secret);
    });
  });

  it('casts env strings by kind and refuses to choose between two env vars', async () => {
    const project = await loadProject(root);
    const slow = resolvePluginSettings(project, byName(project, 'tap-demo-slow'), {
      processEnv: { TAP_DEMO_SLOW_SLEEP_SECONDS: '5' },
    });
    expect(slow.find((s) => s.name === 'sleep_seconds')).toMatchObject({ value: 5, source: 'env' });

    const plugin = { ...byName(project, 'tap-demo'), namespace: 'tap_demo_ns' };
    const conflict = resolvePluginSettings(project, plugin, {
      processEnv: { TAP_DEMO_MODE: 'a', TAP_DEMO_NS_MODE: 'b' },
    });
    expect(conflict.find((s) => s.name === 'mode')).toMatchObject({
      value: null,
      is_set: false,
      conflict: {
        kind: 'conflicting_setting_value',
        source: 'env',
        keys: ['TAP_DEMO_MODE', 'TAP_DEMO_NS_MODE'],
      },
    });
    const same = resolvePluginSettings(project, plugin, {
      processEnv: { TAP_DEMO_MODE: 'a', TAP_DEMO_NS_MODE: 'a' },
    });
    expect(same.find((s) => s.name === 'mode')?.conflict?.kind).toBe('multiple_env_vars_set');
  });

  it('writes only to the DB when the project is read-only', async () => {
    const project = await loadProject(root);
    const target = resolvePluginSettings(project, byName(project, 'target-demo'), {
      processEnv: { MELTANO_PROJECT_READONLY: 'true' },
    });
    expect(target[0]).toMatchObject({ writable_stores: ['db'], auto_store: 'db', overwritable: false });
  });
});
