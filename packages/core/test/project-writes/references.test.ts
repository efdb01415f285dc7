import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors.js';
import { loadProject } from '../../src/project/load-project.js';
import { createJob, createSchedule, updateJob, updateSchedule } from '../../src/project-writes/index.js';
import { closest } from '../../src/project-writes/plugin-suggestions.js';
import { withTempCopy } from '../project/fixture-paths.js';

const PROJECT = `plugins:
  extractors:
  - name: tap-github
  - name: tap-gitlab
  loaders:
  - name: target-jsonl
  mappers:
  - name: meltano-map-transformer
    mappings:
    - name: hash-emails
      config: {}
  utilities:
  - name: dbt-postgres
jobs:
- name: legacy
  tasks:
  - tap-gone target-jsonl
schedules:
- name: elt-legacy
  extractor: tap-github
  loader: target-gone
  transform: skip
  interval: '@daily'
`;

async function withProject(fn: (root: string) => Promise<void>) {
  await withTempCopy(null, async (root) => {
    await writeFile(join(root, 'meltano.yml'), PROJECT);
    await fn(root);
  });
}

/** The refused write's field and message. */
async function refusal(write: Promise<unknown>): Promise<{ field: unknown; message: string }> {
  const error = await write.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidInputError);
  const invalid = error as InvalidInputError;
  return { field: invalid.details?.field, message: invalid.message };
}

describe('writes naming a plugin or job the project does not have', () => {
  it('refuses a job task with a missing plugin, naming the task and what exists', async () => {
    await withProject(async (root) => {
      const before = await readFile(join(root, 'meltano.yml'), 'utf8');
      const refused = await refusal(
        createJob(root, { name: 'j', tasks: ['tap-github target-jsonl', 'tap-githbu target-jsonl'] }),
      );
      expect(refused.field).toBe('tasks[1]');
      expect(refused.message).toBe(
        "Task 2: 'tap-githbu' is not a plugin of this project. Did you mean 'tap-github'? It has extractors: tap-github, tap-gitlab; loaders: target-jsonl; mappers: meltano-map-transformer; utilities: dbt-postgres.",
      );
      expect(await readFile(join(root, 'meltano.yml'), 'utf8')).toBe(before);
    });
  });

  it('accepts plugins of any type, mapping names and plugin:command blocks', async () => {
    await withProject(async (root) => {
      await createJob(root, {
        name: 'j',
        tasks: ['tap-gitlab hash-emails target-jsonl', 'dbt-postgres:run dbt-postgres:test'],
      });
      expect((await loadProject(root)).jobs.find((job) => job.name === 'j')?.tasks).toEqual([
        ['tap-gitlab', 'hash-emails', 'target-jsonl'],
        ['dbt-postgres:run', 'dbt-postgres:test'],
      ]);
    });
  });

  it("refuses a mapper's own name, pointing at its mappings", async () => {
    await withProject(async (root) => {
      const refused = await refusal(
        createJob(root, { name: 'j', tasks: ['tap-gitlab meltano-map-transformer target-jsonl'] }),
      );
      expect(refused).toEqual({
        field: 'tasks[0]',
        message:
          "Task 1: 'meltano-map-transformer' is a mapper; name one of its mappings instead (hash-emails).",
      });
    });
  });

  it('refuses a missing plugin behind a command', async () => {
    await withProject(async (root) => {
      const refused = await refusal(createJob(root, { name: 'j', tasks: ['dbt:run'] }));
      expect(refused.field).toBe('tasks[0]');
      expect(refused.message).toMatch(/^Task 1: 'dbt' is not a plugin of this project\. It has /);
    });
  });

  it('lets a job keep a missing plugin it already names while other tasks change, not add a new one', async () => {
    await withProject(async (root) => {
      await updateJob(root, 'legacy', { tasks: ['tap-gone target-jsonl', 'dbt-postgres:run'] });
      expect((await loadProject(root)).jobs[0]?.tasks).toEqual([
        ['tap-gone', 'target-jsonl'],
        ['dbt-postgres:run'],
      ]);
      const refused = await refusal(
        updateJob(root, 'legacy', { tasks: ['tap-gone target-jsonl', 'tap-new'] }),
      );
      expect(refused.field).toBe('tasks[1]');
    });
  });

  it('names an empty task by its index', async () => {
    await withProject(async (root) => {
      expect(
        (await refusal(createJob(root, { name: 'j', tasks: ['tap-github target-jsonl', ' '] }))).field,
      ).toBe('tasks[1]');
    });
  });

  it('refuses a schedule with a missing extractor, loader or job, naming the field and what exists', async () => {
    await withProject(async (root) => {
      const extractor = await refusal(
        createSchedule(root, {
          name: 's',
          interval: '@daily',
          extractor: 'tap-gitlabb',
          loader: 'target-jsonl',
        }),
      );
      expect(extractor).toEqual({
        field: 'extractor',
        message:
          "There is no extractor named 'tap-gitlabb' in the project. Did you mean 'tap-gitlab'? It has extractors: tap-github, tap-gitlab.",
      });
      const loader = await refusal(
        createSchedule(root, {
          name: 's',
          interval: '@daily',
          extractor: 'tap-gitlab',
          loader: 'tap-github',
        }),
      );
      expect(loader.field).toBe('loader');
      expect(loader.message).toContain('It has loaders: target-jsonl.');
      const job = await refusal(createSchedule(root, { name: 's', interval: '@daily', job: 'legacyy' }));
      expect(job).toEqual({
        field: 'job',
        message: "There is no job named 'legacyy' in the project. Did you mean 'legacy'? Its jobs: legacy.",
      });
    });
  });

  it('still lets a schedule already pointing at a missing loader change its interval', async () => {
    await withProject(async (root) => {
      await updateSchedule(root, 'elt-legacy', { interval: '@hourly' });
      expect((await loadProject(root)).schedules[0]?.interval).toBe('@hourly');
    });
  });

  it('says when the project has none of the kind', async () => {
    await withTempCopy(null, async (root) => {
      await writeFile(join(root, 'meltano.yml'), 'plugins: {}\n');
      const refused = await refusal(
        createSchedule(root, { name: 's', interval: '@daily', extractor: 'tap-x', loader: 'target-y' }),
      );
      expect(refused.message).toBe(
        "There is no extractor named 'tap-x' in the project. The project has no extractors yet.",
      );
    });
  });
});

describe('closest', () => {
  it('suggests a typo, not an unrelated name', () => {
    expect(closest('tap-githbu', ['tap-github', 'target-jsonl'])).toBe('tap-github');
    expect(closest('tap-salesforce', ['tap-github', 'target-jsonl'])).toBeNull();
  });
});
