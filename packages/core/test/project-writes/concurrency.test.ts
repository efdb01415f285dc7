import { spawn } from 'node:child_process';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';
import { loadProject } from '../../src/project/load-project.js';
import { parseYamlText } from '../../src/project/yaml-file.js';
import { createJob, createSchedule, updateSchedule } from '../../src/project-writes/index.js';
import { describeReal, realProject, withTempCopy } from '../project/fixture-paths.js';

const CORE = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./support/writer-child.ts', import.meta.url));
// tsx is not a dependency of core; it is installed for vitest/vite, so resolve it from there.
const fromVitest = createRequire(createRequire(import.meta.url).resolve('vitest/package.json'));
const TSX = pathToFileURL(join(dirname(fromVitest.resolve('tsx/package.json')), 'dist/loader.mjs')).href;

function runChild(args: string[]) {
  const child = spawn(process.execPath, ['--import', TSX, CHILD, ...args], {
    cwd: CORE,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, done, stderr: () => stderr };
}

const ANNOTATIONS = realProject('meltano__meltano', 'integration/example-library/meltano-annotations');

describeReal('concurrent writers', () => {
  it('keeps all of 100 schedules added concurrently in one process', async () => {
    await withTempCopy(ANNOTATIONS, async (root) => {
      await createJob(root, { name: 'ui-job', tasks: ['tap-gitlab target-jsonl'] });
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          createSchedule(root, { name: `s-${i}`, interval: '@daily', job: 'ui-job' }),
        ),
      );
      const names = (await loadProject(root)).schedules.map((s) => s.name);
      for (let i = 0; i < 100; i++) expect(names).toContain(`s-${i}`);
      // Concurrent updates of different schedules are all kept too.
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => updateSchedule(root, `s-${i}`, { interval: '@hourly' })),
      );
      const hourly = (await loadProject(root)).schedules.filter((s) => s.interval === '@hourly');
      expect(hourly.map((s) => s.name).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `s-${i}`).sort());
    });
  });

  it('keeps the edits of two processes writing at the same time', async () => {
    await withTempCopy(ANNOTATIONS, async (root) => {
      await createJob(root, { name: 'ui-job', tasks: ['tap-gitlab target-jsonl'] });
      const a = runChild(['add', root, 'a', '15']);
      const b = runChild(['add', root, 'b', '15']);
      const codes = await Promise.all([a.done, b.done]);
      expect(codes, a.stderr() + b.stderr()).toEqual([0, 0]);
      const names = (await loadProject(root)).schedules.map((s) => s.name);
      for (let i = 0; i < 15; i++) expect(names).toEqual(expect.arrayContaining([`a-${i}`, `b-${i}`]));
    });
  }, 60_000);

  it('leaves an old or new, parseable file when the writer is killed at any point', async () => {
    await withTempCopy(null, async (root) => {
      const file = join(root, 'meltano.yml');
      await writeFile(file, 'schedules: []\n');
      let written = 0;
      for (let round = 0; round < 8; round++) {
        const { child, done } = runChild(['loop', file, root]);
        await new Promise((resolve) => setTimeout(resolve, 1500 + Math.random() * 1500));
        expect(child.exitCode).toBeNull(); // still writing when killed
        child.kill('SIGKILL');
        expect(await done).toBeNull();
        const text = await readFile(file, 'utf8');
        const data = parseYamlText(file, text, root).data;
        const list = data.schedules as { name: string }[];
        expect(list.length === 0 || list.length === 4000).toBe(true);
        if (list.length === 4000) written++;
      }
      expect(written).toBeGreaterThan(0);
      // Killed writers may leave temp files; they never match an include glob such as `*.yml`.
      const leftovers = (await readdir(root)).filter((name) => name !== 'meltano.yml' && name !== '.meltano');
      for (const name of leftovers) expect(name).toMatch(/^\.meltano\.yml\.\d+\.[0-9a-f]+\.tmp$/);
    });
  }, 60_000);
});
