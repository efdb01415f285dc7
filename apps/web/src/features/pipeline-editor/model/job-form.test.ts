import { describe, expect, it } from 'vitest';
import type { Job } from '../../../lib/api-types';
import {
  appendBlock,
  createJobBody,
  emptyJobForm,
  jobForm,
  jobFormErrors,
  jobPatchBody,
  moveItem,
  newTask,
  unknownBlocks,
} from './job-form';

const job = { name: 'nightly', tasks: [['tap-a target-b'], ['dbt:run', 'dbt:test']] } as unknown as Job;

describe('job form', () => {
  it('shows a nested task as one line and does not rewrite it unless it changed', () => {
    const form = jobForm(job);
    expect(form.tasks.map((t) => t.text)).toEqual(['tap-a target-b', 'dbt:run dbt:test']);
    expect(jobPatchBody(form, form)).toEqual({});
    const spaced = { ...form, tasks: [newTask('  tap-a   target-b '), form.tasks[1]!] };
    expect(jobPatchBody(spaced, form)).toEqual({});
  });

  it('sends the whole task list when one task changes, moves or goes', () => {
    const form = jobForm(job);
    expect(jobPatchBody({ ...form, tasks: moveItem(form.tasks, 1, -1) }, form)).toEqual({
      tasks: ['dbt:run dbt:test', 'tap-a target-b'],
    });
    expect(jobPatchBody({ ...form, tasks: form.tasks.slice(1) }, form)).toEqual({
      tasks: ['dbt:run dbt:test'],
    });
    expect(jobPatchBody({ ...form, name: 'daily' }, form)).toEqual({ name: 'daily' });
  });

  it('moves within bounds only', () => {
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 2, -2)).toEqual(['c', 'a', 'b']);
    expect(moveItem(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
    expect(moveItem(['a', 'b'], 1, 1)).toEqual(['a', 'b']);
  });

  it('builds tasks from picked plugins and points out names the project does not define', () => {
    expect(appendBlock('', 'tap-a')).toBe('tap-a');
    expect(appendBlock('tap-a  ', 'target-b')).toBe('tap-a target-b');
    const known = new Set(['tap-a', 'target-b', 'dbt-postgres']);
    expect(unknownBlocks('tap-a target-c dbt-postgres:run', known)).toEqual(['target-c']);
  });

  it('needs a name and one non-empty task; blank rows are not sent', () => {
    expect(jobFormErrors(emptyJobForm())).toEqual({
      name: 'A name is required',
      tasks: 'A job needs at least one task',
    });
    const form = { name: 'n', tasks: [newTask('tap-a target-b'), newTask('  ')] };
    expect(jobFormErrors(form)).toEqual({});
    expect(createJobBody(form)).toEqual({ name: 'n', tasks: ['tap-a target-b'] });
  });
});
