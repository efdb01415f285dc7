import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { SystemDatabase } from '../../src/db/system-database.js';
import { listJobViews, listScheduleViews, stateIdOwners } from '../../src/pipelines/pipeline-views.js';
import { loadProject } from '../../src/project/load-project.js';
import { withTempCopy } from '../project/fixture-paths.js';

// Two jobs over the same extractor and loader write the same `dev:tap-a-to-target-b`; `nightly` and
// `hourly` run job `sync`; the ELT schedule `dev:tap-a-to-target-b` is named like that state ID.
const PROJECT = `default_environment: dev
environments:
- name: dev
plugins:
  extractors:
  - name: tap-a
  loaders:
  - name: target-b
  utilities:
  - name: dbt
jobs:
- name: sync
  tasks: [tap-a target-b]
- name: sync-and-build
  tasks: [tap-a target-b dbt:run]
- name: build
  tasks: ['dbt:run']
schedules:
- {name: nightly, job: sync, interval: '@daily'}
- {name: hourly, job: sync, interval: '@hourly'}
- {name: 'dev:tap-a-to-target-b', extractor: tap-a, loader: target-b, transform: skip, interval: '@daily'}
`;

const noRuns = { runs: { summaries: async () => new Map() } } as unknown as SystemDatabase;

it("names the other schedules and jobs that share a state ID, not a job's own schedules", async () => {
  await withTempCopy(null, async (root) => {
    await writeFile(join(root, 'meltano.yml'), PROJECT);
    const project = await loadProject(root);
    const opts = { environment: 'dev', now: new Date('2026-12-01T00:00:00Z') };
    const schedules = await listScheduleViews(project, noRuns, opts);
    const shared = Object.fromEntries(schedules.map((s) => [s.name, s.shared_state_ids]));
    expect(shared.nightly).toEqual([
      {
        state_id: 'dev:tap-a-to-target-b',
        schedules: ['hourly', 'dev:tap-a-to-target-b'],
        jobs: ['sync-and-build'],
        more_schedules: 0,
        more_jobs: 0,
      },
    ]);
    expect(shared['dev:tap-a-to-target-b']).toEqual([
      {
        state_id: 'dev:tap-a-to-target-b',
        schedules: ['nightly', 'hourly'],
        jobs: ['sync', 'sync-and-build'],
        more_schedules: 0,
        more_jobs: 0,
      },
    ]);
    const jobs = Object.fromEntries((await listJobViews(project, noRuns, opts)).map((j) => [j.name, j]));
    expect(jobs.sync?.shared_state_ids).toEqual([
      {
        state_id: 'dev:tap-a-to-target-b',
        schedules: ['dev:tap-a-to-target-b'],
        jobs: ['sync-and-build'],
        more_schedules: 0,
        more_jobs: 0,
      },
    ]);
    expect(jobs.build?.shared_state_ids).toEqual([]);
    // One schedule shown alone (the single-schedule route) still sees the whole project's owners.
    const alone = await listScheduleViews({ ...project, schedules: project.schedules.slice(0, 1) }, noRuns, {
      ...opts,
      owners: stateIdOwners(project, 'dev'),
    });
    expect(alone[0]?.shared_state_ids).toEqual(shared.nightly);
  });
});

it('lists the first ten names of a state ID many pipelines share and counts the rest', async () => {
  await withTempCopy(null, async (root) => {
    const many = Array.from({ length: 25 }, (_, i) => `- {name: s${i}, job: sync, interval: '@daily'}`);
    await writeFile(
      join(root, 'meltano.yml'),
      PROJECT.replace(/^schedules:\n/m, `schedules:\n${many.join('\n')}\n`),
    );
    const project = await loadProject(root);
    const opts = { environment: 'dev', now: new Date('2026-12-01T00:00:00Z') };
    const elt = (await listScheduleViews(project, noRuns, opts)).find(
      (s) => s.name === 'dev:tap-a-to-target-b',
    );
    // 27 job schedules (25 + nightly + hourly) record the ELT schedule's state ID.
    expect(elt?.shared_state_ids).toEqual([
      {
        state_id: 'dev:tap-a-to-target-b',
        schedules: ['s0', 's1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9'],
        jobs: ['sync', 'sync-and-build'],
        more_schedules: 17,
        more_jobs: 0,
      },
    ]);
  });
});
