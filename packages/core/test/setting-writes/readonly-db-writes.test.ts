import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatabaseUri } from '../../src/db/database-uri.js';
import { openSystemDatabase, type SystemDatabase } from '../../src/db/system-database.js';
import type { CoreError } from '../../src/errors.js';
import { readPluginSettingRows } from '../../src/plugin-settings/index.js';
import { unpickle } from '../../src/plugin-settings/python-pickle.js';
import { setPluginSetting, unsetPluginSetting } from '../../src/setting-writes/index.js';
import { realMeltano, withTempCopy } from '../project/fixture-paths.js';
import { DIALECTS, type TestDialect } from '../support/backends.js';
import { fixtureDbFile } from '../support/fixtures.js';
import { createTestPostgres } from '../support/postgres.js';
import { fixtureDbIn, rowHex, snapshot } from './support.js';

// The values real Meltano 4.2.2 pickled into the fixture's plugin_settings (`meltano config set --store=db`).
const FIXTURE_API_KEY = '8005950d000000000000008c09736b2d64622d343536942e'; // 'sk-db-456'
const FIXTURE_OUTPUT_DIR = '80059512000000000000008c0e6f75747075742d66726f6d2d6462942e'; // 'output-from-db'
const FAIL_NS = 'extractors.tap-demo-fail.default';

/** The v4.2.2 project copy with its system DB as SQLite, or as PostgreSQL holding the same rows. */
async function withReadonlyProject(
  dialect: TestDialect,
  fn: (root: string, db: SystemDatabase) => Promise<void>,
): Promise<void> {
  await withTempCopy(realMeltano('v4.2.2'), async (root) => {
    if (dialect === 'sqlite') {
      const db = await fixtureDbIn(root);
      await fn(root, db).finally(() => db.close());
      return;
    }
    const pg = await createTestPostgres();
    try {
      await pg.createMeltanoSchema();
      await pg.loadFromSqlite(fixtureDbFile('v4.2.2'));
      const db = openSystemDatabase(
        parseDatabaseUri(pg.uri(), { projectRoot: root, cwd: root, sysDir: root }),
      );
      await fn(root, db).finally(() => db.close());
    } finally {
      await pg.drop();
    }
  });
}

// project_readonly as a deployment sets it: MELTANO_PROJECT_READONLY in the environment.
const readonly = (type: string, name: string) => ({
  pluginType: type,
  pluginName: name,
  processEnv: { MELTANO_PROJECT_READONLY: 'true' },
});

async function rejection(promise: Promise<unknown>): Promise<CoreError> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: CoreError) => error,
  );
}

describe.each(DIALECTS)('project_readonly: settings go to the system database (%s)', (dialect) => {
  it('pickles the value into plugin_settings exactly as Meltano does; the project files stay as they are', async () => {
    await withReadonlyProject(dialect, async (root, db) => {
      const files = [join(root, 'meltano.yml')];
      const before = await snapshot(root, files);
      const result = await setPluginSetting({
        root,
        db,
        ...readonly('extractors', 'tap-demo'),
        setting: 'sleep_seconds',
        value: '7',
      });
      expect(result).toMatchObject({ store: 'db', file: null, env_var: null });
      // pickle.dumps(7, protocol=5)
      expect(await rowHex(db, 'extractors.tap-demo.default', 'sleep_seconds')).toBe('80054b072e');
      const { rows } = await readPluginSettingRows(db);
      expect(rows).toContainEqual({
        namespace: 'extractors.tap-demo.default',
        name: 'sleep_seconds',
        value: 7,
      });
      expect(result.resolved).toMatchObject({ value: 7, source: 'db', write_store: 'db' });
      expect(await snapshot(root, files)).toEqual(before);
    });
  });

  it('re-pickles a secret byte for byte as the row Meltano wrote, and a new one as Python would', async () => {
    await withReadonlyProject(dialect, async (root, db) => {
      expect(await rowHex(db, FAIL_NS, 'api_key')).toBe(FIXTURE_API_KEY);
      const options = { root, db, ...readonly('extractors', 'tap-demo-fail'), setting: 'api_key' };
      await setPluginSetting({ ...options, value: 'sk-db-456' });
      expect(await rowHex(db, FAIL_NS, 'api_key')).toBe(FIXTURE_API_KEY);

      const result = await setPluginSetting({ ...options, value: 'sk-db-789' });
      // pickle.dumps('sk-db-789', protocol=5)
      const written = await rowHex(db, FAIL_NS, 'api_key');
      expect(written).toBe('8005950d000000000000008c09736b2d64622d373839942e');
      expect(unpickle(Uint8Array.from(Buffer.from(written ?? '', 'hex')))).toBe('sk-db-789');
      expect(result.resolved).toMatchObject({ source: 'db', value: '(redacted)' });
      expect(JSON.stringify(result)).not.toContain('sk-db-789');
    });
  });

  it('stores a custom setting in the DB too (the UI’s own read-only flag works the same)', async () => {
    await withReadonlyProject(dialect, async (root, db) => {
      const result = await setPluginSetting({
        root,
        db,
        pluginType: 'loaders',
        pluginName: 'target-demo',
        processEnv: {},
        projectReadonly: true,
        setting: 'flush_every',
        value: 'custom-db',
      });
      expect(result.resolved).toMatchObject({
        name: 'flush_every',
        custom: true,
        source: 'db',
        value: 'custom-db',
      });
      // pickle.dumps('custom-db', protocol=5)
      expect(await rowHex(db, 'loaders.target-demo.default', 'flush_every')).toBe(
        '8005950d000000000000008c09637573746f6d2d6462942e',
      );
    });
  });

  it('reports a value from meltano.yml as locked: it would still win over the DB', async () => {
    await withReadonlyProject(dialect, async (root, db) => {
      const options = { root, db, ...readonly('loaders', 'target-demo'), setting: 'output_dir' };
      for (const write of [setPluginSetting({ ...options, value: 'x' }), unsetPluginSetting(options)]) {
        const error = await rejection(write);
        expect(error).toMatchObject({ code: 'setting_locked', status: 409 });
        expect(error.message).toContain('project_readonly is on');
        expect(error.message).toContain('`meltano.yml`');
      }
      expect(await rowHex(db, 'loaders.target-demo.default', 'output_dir')).toBe(FIXTURE_OUTPUT_DIR);
    });
  });

  it('unset deletes the row; the parent’s value shows through again', async () => {
    await withReadonlyProject(dialect, async (root, db) => {
      const result = await unsetPluginSetting({
        root,
        db,
        ...readonly('extractors', 'tap-demo-fail'),
        setting: 'api_key',
      });
      expect(result.removed).toEqual([{ store: 'db', file: null }]);
      expect(await rowHex(db, FAIL_NS, 'api_key')).toBeNull();
      expect(result.resolved).toMatchObject({ source: 'inherited', inherited_source: 'dotenv' });
    });
  });
});
