// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` here is env-var syntax under test, not a template.
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project/load-project.js';
import type { Project, Schedule } from '../../src/project/project.types.js';
import { jobStateIds, scheduleStateIds } from '../../src/schedules/state-ids.js';
import { itReal, realMeltano, realProject } from '../project/fixture-paths.js';

const job = (project: Project, name: string) => {
  const found = project.jobs.find((j) => j.name === name);
  if (!found) throw new Error(`no job ${name}`);
  return found;
};

describe('state IDs', () => {
  it('matches the IDs Meltano wrote for the real-meltano project', async () => {
    const project = await loadProject(realMeltano('v3.9.5'));
    expect(jobStateIds(project, job(project, 'multi-job'), 'dev')).toEqual([
      'dev:tap-demo-to-target-demo',
      'dev:tap-demo-fail-to-target-demo',
    ]);
    const byName = (name: string) => project.schedules.find((s) => s.name === name) as Schedule;
    expect(scheduleStateIds(project, byName('demo-job-schedule'), 'prod')).toEqual([
      'prod:tap-demo-to-target-demo',
    ]);
    // ELT schedules run `meltano elt --state-id=<schedule name>`.
    expect(scheduleStateIds(project, byName('daily-demo'), 'dev')).toEqual(['daily-demo']);
    expect(scheduleStateIds(project, byName('daily-demo'), null)).toEqual(['daily-demo']);
    // `meltano run` needs an environment; without one it writes nothing.
    expect(scheduleStateIds(project, byName('demo-job-schedule'), null)).toEqual([]);
  });

  itReal('skips mappers and plugin commands, adds the environment suffix, honours schedule env', async () => {
    const base = await loadProject(realProject('meltano__meltano', 'tests/fixtures/multifile_project'));
    const project: Project = {
      ...base,
      dotenv: { RUN_TAG: 'nightly' },
      environments: [
        ...base.environments,
        { name: 'suffixed', env: {}, plugins: [], state_id_suffix: '${RUN_TAG}', source_file: '' },
      ],
      jobs: [
        {
          name: 'mixed',
          tasks: [
            ['tap-meltano-yml', 'transform-meltano-yml', 'target-meltano-yml', 'dbt:run'],
            ['tap-subconfig-1-yml:about', 'tap-subconfig-2-yml', 'target-subconfig-2-yml'],
            ['tap-meltano-yml', 'target-meltano-yml'],
          ],
          source_file: '',
        },
      ],
    };
    const mixed = job(project, 'mixed');
    expect(jobStateIds(project, mixed, 'test-meltano-environment')).toEqual([
      'test-meltano-environment:tap-meltano-yml-to-target-meltano-yml',
      'test-meltano-environment:tap-subconfig-2-yml-to-target-subconfig-2-yml',
    ]);
    expect(jobStateIds(project, mixed, 'suffixed')).toEqual([
      'suffixed:tap-meltano-yml-to-target-meltano-yml:nightly',
      'suffixed:tap-subconfig-2-yml-to-target-subconfig-2-yml:nightly',
    ]);

    const schedule: Schedule = {
      kind: 'job',
      name: 'sched',
      job: 'mixed',
      interval: '@daily',
      env: { MELTANO_ENVIRONMENT: 'suffixed', MELTANO_RUN_STATE_ID_SUFFIX: 'manual' },
      start_date: null,
      orchestrated: true,
      source_file: '',
    };
    expect(scheduleStateIds(project, schedule, 'test-meltano-environment')).toEqual([
      'suffixed:tap-meltano-yml-to-target-meltano-yml:manual',
      'suffixed:tap-subconfig-2-yml-to-target-subconfig-2-yml:manual',
    ]);
    expect(scheduleStateIds(project, { ...schedule, job: 'missing-job' }, 'dev')).toEqual([]);
  });

  itReal('gives every job of a real project IDs under its environment', async () => {
    const project = await loadProject(realProject('AutoIDM__prodder_public'));
    const [schedule] = project.schedules;
    if (!schedule) throw new Error('fixture has a schedule');
    const ids = scheduleStateIds(project, schedule, project.default_environment ?? 'dev');
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => /^[\w-]+:[\w-]+-to-[\w-]+$/.test(id))).toBe(true);
  });
});
