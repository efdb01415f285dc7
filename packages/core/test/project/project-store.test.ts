import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ProjectFileError } from '../../src/errors.js';
import { ProjectStore } from '../../src/project/project-store.js';
import { itReal, realMeltano, realProject, withTempCopy } from './fixture-paths.js';

describe('ProjectStore', () => {
  it('caches the project and reloads after an edit on disk', async () => {
    await withTempCopy(realMeltano('v4.2.2'), async (root) => {
      const store = new ProjectStore(root, { checkIntervalMs: 0 });
      expect(store.root).toBe(root);
      const first = await store.get();
      if (!first.ok) throw first.error;
      expect(first.project.jobs.map((j) => j.name)).toEqual(['demo-job', 'multi-job']);
      expect(await store.get()).toBe(first);

      await appendFile(join(root, 'meltano.yml'), '- name: third-job\n  tasks: tap-demo target-demo\n');
      const second = await store.get();
      expect(second.ok && second.project.jobs.map((j) => j.name)).toEqual([
        'demo-job',
        'multi-job',
        'third-job',
      ]);

      await writeFile(join(root, '.env'), "TAP_DEMO_API_KEY='rotated'\n");
      const third = await store.get();
      expect(third.ok && third.project.dotenv.TAP_DEMO_API_KEY).toBe('rotated');
    });
  });

  it('reports a broken file without throwing and recovers after a fix', async () => {
    await withTempCopy(realMeltano('v4.2.2'), async (root) => {
      const store = new ProjectStore(root, { checkIntervalMs: 0 });
      const original = await readFile(join(root, 'meltano.yml'), 'utf8');
      expect((await store.get()).ok).toBe(true);

      await writeFile(join(root, 'meltano.yml'), `${original}jobs: [unclosed\n`);
      const broken = await store.get();
      expect(broken.ok).toBe(false);
      if (broken.ok) return;
      expect(broken.error).toBeInstanceOf(ProjectFileError);
      expect((broken.error as ProjectFileError).location.file).toBe(join(root, 'meltano.yml'));

      await writeFile(join(root, 'meltano.yml'), original);
      const fixed = await store.get();
      expect(fixed.ok && fixed.project.schedules.length).toBe(4);

      await rm(join(root, 'meltano.yml'));
      const missing = await store.get();
      expect(!missing.ok && missing.error.code).toBe('project_not_found');
    });
  });

  itReal('notices included files appearing, changing and lock files changing', async () => {
    await withTempCopy(realProject('meltano__meltano', 'tests/fixtures/multifile_project'), async (root) => {
      const store = new ProjectStore(root, { checkIntervalMs: 0 });
      const before = await store.get();
      expect(before.ok && before.project.files).toHaveLength(3);

      await writeFile(join(root, 'subconfig_3.yml'), 'jobs:\n- name: from-new-file\n  tasks: a b\n');
      const added = await store.get();
      expect(added.ok && added.project.jobs.map((j) => j.name)).toEqual(['my-job', 'from-new-file']);

      await writeFile(join(root, 'subconfig_3.yml'), 'jobs:\n- name: renamed-job\n  tasks: a b\n');
      const changed = await store.get();
      expect(changed.ok && changed.project.jobs.map((j) => j.name)).toEqual(['my-job', 'renamed-job']);

      await mkdir(join(root, 'plugins/extractors'), { recursive: true });
      await writeFile(
        join(root, 'plugins/extractors/tap-subconfig-2-yml.lock'),
        JSON.stringify({ name: 'tap-subconfig-2-yml', settings: [{ name: 'password', kind: 'password' }] }),
      );
      const locked = await store.get();
      const tap = locked.ok
        ? locked.project.plugins.find((p) => p.name === 'tap-subconfig-2-yml')
        : undefined;
      expect(tap?.settings).toEqual([expect.objectContaining({ name: 'password', sensitive: true })]);
    });
  });

  it('checks the disk at most once per interval and shares one load between concurrent callers', async () => {
    await withTempCopy(realMeltano('v3.9.5'), async (root) => {
      const store = new ProjectStore(root, { checkIntervalMs: 60_000 });
      const [a, b] = await Promise.all([store.get(), store.get()]);
      expect(a).toBe(b);
      await appendFile(join(root, 'meltano.yml'), '- name: unseen-job\n  tasks: x y\n');
      const cached = await store.get();
      expect(cached).toBe(a);
      expect(cached.ok && cached.project.jobs.map((j) => j.name)).not.toContain('unseen-job');
      // A read an edit is based on looks now.
      const fresh = await store.get({ fresh: true });
      expect(fresh.ok && fresh.project.jobs.map((j) => j.name)).toContain('unseen-job');
      expect(await store.get()).toBe(fresh);
    });
  });
});
