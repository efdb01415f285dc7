import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SystemDatabase } from '../../src/db/system-database.js';
import { InvalidInputError } from '../../src/errors.js';
import { setProjectSetting, unsetProjectSetting } from '../../src/setting-writes/index.js';
import { realMeltano, withTempCopy } from '../project/fixture-paths.js';
import { changedRegion } from '../project-writes/helpers.js';
import { fixtureDbIn, readText, rowHex } from './support.js';

async function withProject(fn: (root: string, db: SystemDatabase) => Promise<void>): Promise<void> {
  await withTempCopy(realMeltano('v4.2.2'), async (root) => {
    const db = await fixtureDbIn(root);
    await fn(root, db).finally(() => db.close());
  });
}

describe('project settings (`meltano config meltano set/unset`) on the real 4.2.2 project', () => {
  it('changes a top-level setting on its own line, typed as the file has it', async () => {
    await withProject(async (root, db) => {
      const yml = join(root, 'meltano.yml');
      const before = (await readText(yml)) ?? '';
      const result = await setProjectSetting({
        root,
        db,
        processEnv: {},
        setting: 'send_anonymous_usage_stats',
        value: 'yes',
      });
      expect(result).toMatchObject({ store: 'meltano_yml', file: yml });
      expect(changedRegion(before, (await readText(yml)) ?? '')).toMatchObject({
        removed: ['send_anonymous_usage_stats: false'],
        added: ['send_anonymous_usage_stats: true'],
      });
      expect(result.resolved).toMatchObject({ value: true, source: 'meltano_yml' });
    });
  });

  it('nests a dotted setting at the end of meltano.yml, and unset restores the file', async () => {
    await withProject(async (root, db) => {
      const yml = join(root, 'meltano.yml');
      const before = (await readText(yml)) ?? '';
      const options = { root, db, processEnv: {}, setting: 'elt.buffer_size' };
      await setProjectSetting({ ...options, value: 1048576 });
      expect(await readText(yml)).toBe(`${before}elt:\n  buffer_size: 1048576\n`);
      const unset = await unsetProjectSetting(options);
      expect(unset.removed).toEqual([{ store: 'meltano_yml', file: yml }]);
      expect(await readText(yml)).toBe(before);
    });
  });

  it('puts environment-specific and secret settings in .env as MELTANO_ variables', async () => {
    await withProject(async (root, db) => {
      const yml = join(root, 'meltano.yml');
      const before = await readText(yml);
      const uri = await setProjectSetting({
        root,
        db,
        processEnv: {},
        setting: 'database_uri',
        value: 'postgresql://meltano:pw@db/meltano',
      });
      expect(uri).toMatchObject({ store: 'dotenv', env_var: 'MELTANO_DATABASE_URI' });
      expect(uri.resolved.value).toBe('postgresql://meltano:(redacted)@db/meltano');
      const secret = await setProjectSetting({
        root,
        db,
        processEnv: {},
        setting: 'state_backend.s3.aws_secret_access_key',
        value: 'aws-secret',
      });
      expect(secret.resolved).toMatchObject({ source: 'dotenv', value: '(redacted)' });
      expect(await readText(join(root, '.env'))).toBe(
        "TAP_DEMO_API_KEY='sk-demo-123'\nMELTANO_DATABASE_URI='postgresql://meltano:pw@db/meltano'\nMELTANO_STATE_BACKEND_S3_AWS_SECRET_ACCESS_KEY='aws-secret'\n",
      );
      expect(await readText(yml)).toBe(before);
    });
  });

  it('goes to the `meltano` namespace of the system DB when read-only', async () => {
    await withProject(async (root, db) => {
      const options = { root, db, processEnv: {}, projectReadonly: true, setting: 'hub_url' };
      const result = await setProjectSetting({ ...options, value: 'https://hub.example' });
      expect(result).toMatchObject({ store: 'db', file: null });
      // pickle.dumps('https://hub.example', protocol=5)
      expect(await rowHex(db, 'meltano', 'hub_url')).toBe(
        '80059517000000000000008c1368747470733a2f2f6875622e6578616d706c65942e',
      );
      expect(result.resolved).toMatchObject({ value: 'https://hub.example', source: 'db' });
      await unsetProjectSetting(options);
      expect(await rowHex(db, 'meltano', 'hub_url')).toBeNull();
    });
  });

  it('refuses names that are not settings', async () => {
    await withProject(async (root, db) => {
      for (const setting of ['plugins', 'environments.0', ' padded', '']) {
        await expect(setProjectSetting({ root, db, setting, value: 'x' })).rejects.toBeInstanceOf(
          InvalidInputError,
        );
      }
    });
  });
});
