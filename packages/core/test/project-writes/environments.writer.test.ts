import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_TAP_AUTH0 } from '../../../../test-fixtures/fixture-locations.mjs';
import { loadProject } from '../../src/project/load-project.js';
import { readEntityVersions } from '../../src/project-writes/entity-write.js';
import {
  createEnvironment,
  deleteEnvironment,
  updateEnvironment,
} from '../../src/project-writes/environments.writer.js';
import { withTempCopy } from '../project/fixture-paths.js';
import { changedRegion, entityLines } from './helpers.js';

const file = (root: string) => join(root, 'meltano.yml');

/** The guide's project with comments in and around the environments, which every write must keep. */
async function commented(root: string) {
  const text = (await readFile(file(root), 'utf8'))
    .replace('- name: staging\n', '# staging mirrors prod\n- name: staging  # pre-prod\n')
    .replace(
      '          domain: matatika.eu.auth0.com\n',
      '          domain: matatika.eu.auth0.com  # EU tenant\n',
    );
  await writeFile(file(root), text);
  return text;
}

describe('environment writes', () => {
  it("edits one environment's env and plugin overrides: only its lines change, comments stay", async () => {
    await withTempCopy(WORKSPACE_TAP_AUTH0, async (root) => {
      const before = await commented(root);
      const [first, last] = entityLines(before, 'environments', 'prod');
      await updateEnvironment(root, 'prod', {
        env: { TARGET_SCHEMA: 'analytics' },
        plugins: [
          {
            type: 'extractors',
            name: 'tap-auth0',
            config: { client_id: 'new-prod-id', domain: 'matatika.eu.auth0.com' },
          },
        ],
      });
      const after = await readFile(file(root), 'utf8');
      const region = changedRegion(before, after);
      expect(region.start).toBeGreaterThanOrEqual(first);
      expect(region.start + region.removed.length).toBeLessThanOrEqual(last + 1);
      expect(after).toContain('# staging mirrors prod\n- name: staging  # pre-prod\n');
      // Inside the edited environment, the keys that did not change keep their comments too.
      expect(after).toContain('          domain: matatika.eu.auth0.com  # EU tenant\n');
      expect(after).toContain('          client_id: new-prod-id\n');
      const prod = (await loadProject(root)).environments.find((e) => e.name === 'prod');
      expect(prod?.env).toEqual({ TARGET_SCHEMA: 'analytics' });
      expect(prod?.plugins[0]?.config).toEqual({ client_id: 'new-prod-id', domain: 'matatika.eu.auth0.com' });

      // An override for another plugin is added beside it, and {} removes one again.
      await updateEnvironment(root, 'prod', {
        plugins: [{ type: 'loaders', name: 'target-jsonl', config: { destination_path: 'prod-out' } }],
      });
      let env = (await loadProject(root)).environments.find((e) => e.name === 'prod');
      expect(env?.plugins.map((p) => [p.type, p.name, p.config])).toEqual([
        ['extractors', 'tap-auth0', { client_id: 'new-prod-id', domain: 'matatika.eu.auth0.com' }],
        ['loaders', 'target-jsonl', { destination_path: 'prod-out' }],
      ]);
      await updateEnvironment(root, 'prod', {
        plugins: [{ type: 'loaders', name: 'target-jsonl', config: {} }],
      });
      env = (await loadProject(root)).environments.find((e) => e.name === 'prod');
      expect(env?.plugins.map((p) => p.name)).toEqual(['tap-auth0']);
      await expect(
        updateEnvironment(root, 'prod', {
          plugins: [{ type: 'loaders', name: 'target-nope', config: { a: 1 } }],
        }),
      ).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'plugins' } });
    });
  });

  it('keeps a secret sent back as (redacted), and refuses the placeholder for a new key', async () => {
    await withTempCopy(WORKSPACE_TAP_AUTH0, async (root) => {
      await updateEnvironment(root, 'dev', {
        plugins: [
          { type: 'extractors', name: 'tap-auth0', config: { client_id: 'x', client_secret: 'hunter2' } },
        ],
      });
      await updateEnvironment(root, 'dev', {
        plugins: [
          { type: 'extractors', name: 'tap-auth0', config: { client_id: 'y', client_secret: '(redacted)' } },
        ],
      });
      const dev = (await loadProject(root)).environments.find((e) => e.name === 'dev');
      expect(dev?.plugins[0]?.config).toEqual({ client_id: 'y', client_secret: 'hunter2' });
      await updateEnvironment(root, 'dev', {
        plugins: [
          { type: 'extractors', name: 'tap-auth0', config: { auth: { password: 'p4ss', user: 'u' } } },
        ],
      });
      await updateEnvironment(root, 'dev', {
        plugins: [
          { type: 'extractors', name: 'tap-auth0', config: { auth: { password: '(redacted)', user: 'v' } } },
        ],
      });
      const nested = (await loadProject(root)).environments.find((e) => e.name === 'dev');
      expect(nested?.plugins[0]?.config).toEqual({ auth: { password: 'p4ss', user: 'v' } });
      await expect(
        updateEnvironment(root, 'dev', { env: { NEW_TOKEN: '(redacted)' } }),
      ).rejects.toMatchObject({ code: 'invalid_input' });
    });
  });

  it('renames, naming the state IDs that change; refuses default_environment and a stale version', async () => {
    await withTempCopy(WORKSPACE_TAP_AUTH0, async (root) => {
      const versions = (await readEntityVersions(await loadProject(root))).environments;
      expect(Object.keys(versions)).toEqual(['dev', 'staging', 'prod']);
      const renamed = await updateEnvironment(
        root,
        'staging',
        { name: 'stage', state_id_suffix: 'v2' },
        {
          expectedVersion: versions.staging,
        },
      );
      expect(renamed).toMatchObject({
        name: 'stage',
        state_id_changes: [
          {
            job: 'auth0-to-jsonl',
            from: 'staging:tap-auth0-to-target-jsonl',
            to: 'stage:tap-auth0-to-target-jsonl:v2',
          },
        ],
      });
      expect((await loadProject(root)).environments.map((e) => e.name)).toEqual(['dev', 'stage', 'prod']);
      // The version read before the rename no longer matches what is on disk.
      await expect(
        updateEnvironment(root, 'stage', { env: { A: '1' } }, { expectedVersion: versions.staging }),
      ).rejects.toMatchObject({ code: 'environment_changed', status: 409 });
      await expect(updateEnvironment(root, 'dev', { name: 'development' })).rejects.toMatchObject({
        code: 'environment_is_default',
        status: 409,
      });
      await expect(deleteEnvironment(root, 'dev')).rejects.toMatchObject({ code: 'environment_is_default' });
      await expect(updateEnvironment(root, 'prod', { name: 'stage' })).rejects.toMatchObject({
        code: 'invalid_input',
      });
      await expect(updateEnvironment(root, 'prod', { name: 'a:b' })).rejects.toMatchObject({
        code: 'invalid_input',
      });
    });
  });

  it('creates and deletes an environment, leaving the others as they were', async () => {
    await withTempCopy(WORKSPACE_TAP_AUTH0, async (root) => {
      const before = await commented(root);
      const created = await createEnvironment(root, { name: 'qa', env: { QA: '1' } });
      expect(created).toMatchObject({ name: 'qa', state_id_changes: [], warnings: [] });
      const withQa = await readFile(file(root), 'utf8');
      expect(changedRegion(before, withQa)).toMatchObject({
        removed: [],
        added: ['- name: qa', '  env:', "    QA: '1'"],
      });
      await expect(createEnvironment(root, { name: 'qa' })).rejects.toMatchObject({ code: 'invalid_input' });
      await deleteEnvironment(root, 'qa');
      expect(await readFile(file(root), 'utf8')).toBe(before);
      await expect(deleteEnvironment(root, 'qa')).rejects.toMatchObject({ code: 'environment_not_found' });
    });
  });
});
