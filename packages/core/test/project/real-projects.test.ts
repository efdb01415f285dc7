import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadProject } from '../../src/project/load-project.js';
import { describeReal, HAS_REAL_PROJECTS, REAL_PROJECTS } from './fixture-paths.js';

interface ExpectedCounts {
  folder: string;
  projectDir: string;
  plugins: number;
  pluginsByType: Record<string, number>;
  jobSchedules: number;
  eltSchedules: number;
  schedules: number;
  jobs: number;
  environments: number;
  includes: number;
}

/** The table of SOURCES.md is the reference; read it at test time so the two cannot drift apart. */
function readSourcesTable(): ExpectedCounts[] {
  if (!HAS_REAL_PROJECTS) return [];
  const text = readFileSync(join(REAL_PROJECTS, 'SOURCES.md'), 'utf8');
  const rows: ExpectedCounts[] = [];
  for (const line of text.split('\n')) {
    if (!/^\| \d+ \|/.test(line)) continue;
    const cells = line.split('|').map((cell) => cell.trim());
    const [, , where, , , , , p, s, j, e, i] = cells;
    const dirs = /^`([^`]+)` \/ `([^`]+)`$/.exec(where ?? '');
    const plugins = /^(\d+) \((.*)\)$/.exec(p ?? '');
    const schedules = /^(\d+) \((\d+)\/(\d+)\)$/.exec(s ?? '');
    if (!dirs || !plugins || !schedules) throw new Error(`Unreadable SOURCES.md row: ${line}`);
    const pluginsByType: Record<string, number> = {};
    for (const part of (plugins[2] ?? '').split(',')) {
      const m = /^\s*(\w+) (\d+)\s*$/.exec(part);
      if (m?.[1]) pluginsByType[m[1]] = Number(m[2]);
    }
    rows.push({
      folder: dirs[1] ?? '',
      projectDir: dirs[2] ?? '',
      plugins: Number(plugins[1]),
      pluginsByType,
      schedules: Number(schedules[1]),
      jobSchedules: Number(schedules[2]),
      eltSchedules: Number(schedules[3]),
      jobs: Number(j),
      environments: Number(e),
      includes: Number(i),
    });
  }
  return rows;
}

const table = readSourcesTable();

describeReal('real projects listed in SOURCES.md', () => {
  it('reads all 25 rows of the table', () => {
    expect(table).toHaveLength(25);
    expect(table[0]).toMatchObject({ folder: 'meltano__squared', projectDir: 'data', plugins: 46, jobs: 18 });
  });

  it.each(table.map((row) => [`${row.folder}/${row.projectDir}`, row] as const))(
    '%s loads with the expected counts',
    async (_name, row) => {
      const root = join(REAL_PROJECTS, row.folder, row.projectDir);
      const project = await loadProject(root);

      const byType: Record<string, number> = {};
      for (const plugin of project.plugins) byType[plugin.type] = (byType[plugin.type] ?? 0) + 1;
      expect(project.plugins).toHaveLength(row.plugins);
      expect(byType).toEqual(row.pluginsByType);

      expect(project.schedules).toHaveLength(row.schedules);
      expect(project.schedules.filter((s) => s.kind === 'job')).toHaveLength(row.jobSchedules);
      expect(project.schedules.filter((s) => s.kind === 'elt')).toHaveLength(row.eltSchedules);
      expect(project.jobs).toHaveLength(row.jobs);
      expect(project.environments).toHaveLength(row.environments);
      expect(project.files).toHaveLength(row.includes + 1);
      expect(project.files[0]).toBe(join(root, 'meltano.yml'));

      // Every entity points at one of the project's files.
      const files = new Set(project.files);
      for (const entity of [
        ...project.plugins,
        ...project.schedules,
        ...project.jobs,
        ...project.environments,
      ]) {
        expect(files.has(entity.source_file)).toBe(true);
      }
    },
  );
});
