import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ConflictError, InvalidInputError, ProjectFileError } from '../../src/errors.js';
import { loadProject } from '../../src/project/load-project.js';
import {
  atomicWriteYaml,
  createSchedule,
  deleteSchedule,
  projectLockPath,
  readEntityVersions,
  updateSchedule,
  withProjectLock,
} from '../../src/project-writes/index.js';
import { describeReal, realProject, withTempCopy } from '../project/fixture-paths.js';

const ANNOTATIONS = realProject('meltano__meltano', 'integration/example-library/meltano-annotations');
const MULTIFILE = realProject('meltano__meltano', 'tests/fixtures/multifile_project');

describeReal('write safety', () => {
  it('refuses with 409 when the schedule changed on disk since it was read, keeps unrelated changes', async () => {
    await withTempCopy(ANNOTATIONS, async (root) => {
      const project = await loadProject(root);
      const name = project.schedules[0]?.name ?? '';
      const version = (await readEntityVersions(project)).schedules[name];
      const file = join(root, 'meltano.yml');
      const original = await readFile(file, 'utf8');
      expect(original).toMatch(/interval: (['"]?)9 8 /);
      await writeFile(file, original.replace(/interval: (['"]?)9 8 /, 'interval: $19 9 '));
      const error = await updateSchedule(
        root,
        name,
        { interval: '@daily' },
        { expectedVersion: version },
      ).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConflictError);
      expect((error as ConflictError).status).toBe(409);

      // A change elsewhere in the file does not conflict and survives the write.
      const fresh = (await readEntityVersions(await loadProject(root))).schedules[name];
      const edited = `# edited by hand\n${await readFile(file, 'utf8')}`;
      await writeFile(file, edited);
      await updateSchedule(root, name, { interval: '@daily' }, { expectedVersion: fresh });
      const after = await readFile(file, 'utf8');
      expect(after.startsWith('# edited by hand\n')).toBe(true);
      expect(after).toContain("interval: '@daily'");
    });
  });

  it('never writes a file that does not parse', async () => {
    await withTempCopy(MULTIFILE, async (root) => {
      const file = join(root, 'subfolder', 'subconfig_1.yml');
      const broken = `${await readFile(file, 'utf8')}\n  bad: [unclosed\n`;
      await writeFile(file, broken);
      const main = await readFile(join(root, 'meltano.yml'), 'utf8');
      await expect(
        createSchedule(root, {
          name: 'n',
          interval: '@daily',
          extractor: 'tap-gitlab',
          loader: 'target-csv',
        }),
      ).rejects.toBeInstanceOf(ProjectFileError);
      await expect(atomicWriteYaml(file, 'plugins: {}\n', { root })).rejects.toBeInstanceOf(ProjectFileError);
      expect(await readFile(file, 'utf8')).toBe(broken);
      expect(await readFile(join(root, 'meltano.yml'), 'utf8')).toBe(main);
    });
  });

  it('keeps annotations and unknown keys, never adds `version`, leaves `schedules: []` in an emptied include', async () => {
    await withTempCopy(MULTIFILE, async (root) => {
      const project = await loadProject(root);
      const schedule = project.schedules.find((s) => s.source_file !== join(root, 'meltano.yml'));
      if (!schedule) throw new Error('fixture changed: no included schedule');
      const text = await readFile(schedule.source_file, 'utf8');
      await writeFile(
        schedule.source_file,
        text.replace(
          `name: ${schedule.name}`,
          `name: ${schedule.name}\n  annotations: {ui: {x: 1}}\n  custom_key: kept`,
        ),
      );
      await updateSchedule(root, schedule.name, { interval: '@weekly', name: 'renamed' });
      const after = await readFile(schedule.source_file, 'utf8');
      expect(after).toContain('annotations: {ui: {x: 1}}');
      expect(after).toContain('custom_key: kept');
      expect(after).toContain('name: renamed');
      expect(after).not.toMatch(/^version:/m);
      for (const s of (await loadProject(root)).schedules.filter(
        (x) => x.source_file === schedule.source_file,
      )) {
        await deleteSchedule(root, s.name);
      }
      expect(await readFile(schedule.source_file, 'utf8')).toMatch(/^schedules: \[\]\r?$/m);
    });
  });

  it('names the field of invalid input', async () => {
    await withTempCopy(ANNOTATIONS, async (root) => {
      const cases: [Parameters<typeof createSchedule>[1], string][] = [
        [{ name: '', interval: '@daily', job: 'x' }, 'name'],
        [{ name: 'ok', interval: 'every day', extractor: 'tap-github', loader: 'target-jsonl' }, 'interval'],
        [{ name: 'ok', interval: '@daily', job: 'no-such-job' }, 'job'],
        [{ name: 'ok', interval: '@daily', extractor: 'nope', loader: 'target-jsonl' }, 'extractor'],
      ];
      for (const [input, field] of cases) {
        const error = await createSchedule(root, input).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(InvalidInputError);
        expect((error as InvalidInputError).details?.field).toBe(field);
      }
    });
  });

  it('takes over a lock left by a dead process and waits for a live one', async () => {
    await withTempCopy(ANNOTATIONS, async (root) => {
      const { mkdir } = await import('node:fs/promises');
      await mkdir(join(root, '.meltano', 'run'), { recursive: true });
      const { hostname } = await import('node:os');
      await writeFile(
        projectLockPath(root),
        JSON.stringify({ host: hostname(), pid: 2 ** 22 + 7, token: 'dead' }),
      );
      expect(await withProjectLock(root, async () => 'ran')).toBe('ran');
      await writeFile(
        projectLockPath(root),
        JSON.stringify({ host: hostname(), pid: process.pid, token: 'other' }),
      );
      const error = await withProjectLock(root, async () => 'ran', { timeoutMs: 200 }).catch(
        (e: unknown) => e,
      );
      expect((error as ConflictError).code).toBe('project_locked');
    });
  });
});
