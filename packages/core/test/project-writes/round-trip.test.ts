import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project/load-project.js';
import type { Project } from '../../src/project/project.types.js';
import {
  createJob,
  createSchedule,
  deleteJob,
  deleteSchedule,
  updateJob,
  updateSchedule,
} from '../../src/project-writes/index.js';
import { describeReal, realProject, withTempCopy } from '../project/fixture-paths.js';
import { changedRegion, endings, entityLines, realProjectRoots } from './helpers.js';

async function snapshot(files: string[]): Promise<Map<string, string>> {
  return new Map(await Promise.all(files.map(async (file) => [file, await readFile(file, 'utf8')] as const)));
}

/** Every file but `except` is byte-identical; `except` keeps its line endings and trailing-newline state. */
function expectOnlyChanged(before: Map<string, string>, after: Map<string, string>, except: string) {
  for (const [file, text] of before) {
    if (file === except) {
      const { crlf, trailingNewline } = endings(text);
      const now = endings(after.get(file) ?? '');
      expect(now.trailingNewline).toBe(trailingNewline);
      if (crlf) expect(now.bareLf).toBe(false);
      else expect(now.crlf).toBe(false);
    } else {
      expect(after.get(file), file).toBe(text);
    }
  }
}

/** Tasks over plugins the project has: its first extractor into its first loader, then any plugin's command. */
function realTasks(project: Project): string[] {
  const first = (type: string) => project.plugins.find((plugin) => plugin.type === type)?.name;
  const [extractor, loader] = [first('extractors'), first('loaders')];
  const any = project.plugins[0]?.name;
  if (!any) throw new Error(`${project.root} has no plugin to name in a task`);
  return [extractor && loader ? `${extractor} ${loader}` : any, `${any}:ui-round-trip`];
}

describeReal('the 25 real projects', () => {
  describe.each(realProjectRoots())('round trip on $folder / $projectDir', ({ folder, projectDir }) => {
    it('edits only the lines of the entity and restores the original bytes after add + delete', async () => {
      await withTempCopy(realProject(folder), async (dir) => {
        const root = join(dir, projectDir);
        const project = await loadProject(root);
        const original = await snapshot(project.files);
        const main = join(project.root, 'meltano.yml');

        // Add a job and a schedule on it: each write is one inserted block in meltano.yml, nothing removed.
        let before = original;
        await createJob(root, { name: 'ui-round-trip-job', tasks: realTasks(project) });
        let after = await snapshot(project.files);
        let diff = changedRegion(before.get(main) ?? '', after.get(main) ?? '');
        expect(diff.removed.filter((line) => line !== '')).toEqual([]);
        expect(diff.added.join('\n')).toContain('ui-round-trip-job');
        expectOnlyChanged(before, after, main);

        before = after;
        await createSchedule(root, {
          name: 'ui-round-trip',
          interval: '*/10 * * * *',
          job: 'ui-round-trip-job',
        });
        after = await snapshot(project.files);
        diff = changedRegion(before.get(main) ?? '', after.get(main) ?? '');
        expect(diff.removed.filter((line) => line !== '')).toEqual([]);
        expect(diff.added.join('\n')).toMatch(/interval: '\*\/10 \* \* \* \*'/);
        expectOnlyChanged(before, after, main);
        expect((await loadProject(root)).schedules.find((s) => s.name === 'ui-round-trip')).toMatchObject({
          kind: 'job',
          job: 'ui-round-trip-job',
          interval: '*/10 * * * *',
          source_file: main,
        });

        await deleteSchedule(root, 'ui-round-trip');
        await deleteJob(root, 'ui-round-trip-job');
        expect(await snapshot(project.files)).toEqual(original);
      });
    });

    it('changes one line when an existing schedule gets a new interval, in the file it came from', async () => {
      await withTempCopy(realProject(folder), async (dir) => {
        const root = join(dir, projectDir);
        const project = await loadProject(root);
        const schedule = project.schedules[0];
        if (!schedule) return; // no schedule to edit; the add/delete case covers this project
        const before = await snapshot(project.files);
        const interval = schedule.interval === '@daily' ? '@hourly' : '@daily';
        const result = await updateSchedule(root, schedule.name, { interval });
        expect(result.source_file).toBe(schedule.source_file);
        const after = await snapshot(project.files);
        const text = before.get(schedule.source_file) ?? '';
        const diff = changedRegion(text, after.get(schedule.source_file) ?? '');
        expect(diff.removed).toHaveLength(1);
        expect(diff.added).toHaveLength(1);
        expect(diff.added[0]).toMatch(new RegExp(`^\\s*(- )?interval: (['"])${interval}\\2`));
        const [first, last] = entityLines(text, 'schedules', schedule.name);
        expect(diff.start).toBeGreaterThanOrEqual(first);
        expect(diff.start).toBeLessThanOrEqual(last);
        expectOnlyChanged(before, after, schedule.source_file);
        const reloaded = await loadProject(root);
        expect(reloaded.schedules.find((s) => s.name === schedule.name)).toEqual({ ...schedule, interval });
      });
    });

    it("rewrites only a job's lines when its tasks change", async () => {
      await withTempCopy(realProject(folder), async (dir) => {
        const root = join(dir, projectDir);
        const project = await loadProject(root);
        const job = project.jobs[0];
        if (!job) return;
        const before = await snapshot(project.files);
        // A new task must name plugins the project has (the writer refuses others).
        const tasks = [...job.tasks.map((task) => task.join(' ')), ...realTasks(project)];
        await updateJob(root, job.name, { tasks });
        const after = await snapshot(project.files);
        const text = before.get(job.source_file) ?? '';
        const diff = changedRegion(text, after.get(job.source_file) ?? '');
        const [first, last] = entityLines(text, 'jobs', job.name);
        expect(diff.start).toBeGreaterThanOrEqual(first);
        expect(diff.start + diff.removed.length - 1).toBeLessThanOrEqual(last);
        expectOnlyChanged(before, after, job.source_file);
        const reloaded = await loadProject(root);
        expect(reloaded.jobs.find((j) => j.name === job.name)?.tasks).toEqual(tasks.map((t) => t.split(' ')));
      });
    });
  });
});
