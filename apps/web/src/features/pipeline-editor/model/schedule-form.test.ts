import { describe, expect, it } from 'vitest';
import type { Schedule } from '../../../lib/api-types';
import { newEnvRow } from './env-rows';
import {
  createBody,
  emptyScheduleForm,
  patchBody,
  scheduleForm,
  scheduleFormErrors,
  suggestedScheduleName,
} from './schedule-form';

const elt = {
  name: 'daily-demo',
  kind: 'elt',
  interval: '@daily',
  extractor: 'tap-demo',
  loader: 'target-demo',
  transform: 'skip',
  job: null,
  env: { API_TOKEN: '(redacted)', TARGET_SCHEMA: 'raw' },
} as unknown as Schedule;

describe('schedule form', () => {
  it('sends only what changed, so the rest of the entry stays as written', () => {
    const original = scheduleForm(elt);
    expect(patchBody(original, original)).toEqual({});
    const edited = { ...original, interval: ' 0 6 * * * ', transform: 'run' as const };
    expect(patchBody(edited, original)).toEqual({ interval: '0 6 * * *', transform: 'run' });
    expect(patchBody({ ...original, name: 'morning-demo' }, original)).toEqual({ name: 'morning-demo' });
  });

  it('sends env whole when a row changed, secrets as shown so the server keeps them', () => {
    const original = scheduleForm(elt);
    const rows = original.env.map((r) => (r.key === 'TARGET_SCHEMA' ? { ...r, value: 'analytics' } : r));
    expect(patchBody({ ...original, env: rows }, original)).toEqual({
      env: { API_TOKEN: '(redacted)', TARGET_SCHEMA: 'analytics' },
    });
    expect(patchBody({ ...original, env: [] }, original)).toEqual({ env: {} });
  });

  it("switching shape sends the new shape's fields", () => {
    const original = scheduleForm(elt);
    expect(patchBody({ ...original, kind: 'job', job: 'demo-job' }, original)).toEqual({ job: 'demo-job' });
    const job = scheduleForm({
      ...elt,
      kind: 'job',
      job: 'demo-job',
      extractor: null,
      loader: null,
    } as Schedule);
    expect(patchBody({ ...job, kind: 'elt', extractor: 'tap-a', loader: 'target-b' }, job)).toEqual({
      extractor: 'tap-a',
      loader: 'target-b',
      transform: 'skip',
    });
  });

  it('creates either shape with meltano.yml field names, env only when there is some', () => {
    const form = { ...emptyScheduleForm({ extractor: 'tap-a', loader: 'target-b' }), name: 'a-to-b' };
    expect(createBody(form)).toEqual({
      name: 'a-to-b',
      interval: '@daily',
      extractor: 'tap-a',
      loader: 'target-b',
      transform: 'skip',
    });
    const job = {
      ...emptyScheduleForm({ job: 'nightly' }),
      name: 'n',
      env: [newEnvRow('A', '1'), newEnvRow()],
    };
    expect(createBody(job)).toEqual({ name: 'n', interval: '@daily', job: 'nightly', env: { A: '1' } });
  });

  it('names what is missing, by field', () => {
    expect(scheduleFormErrors(emptyScheduleForm())).toEqual({
      name: 'A name is required',
      extractor: 'Pick an extractor',
      loader: 'Pick a loader',
    });
    const job = { ...emptyScheduleForm({ kind: 'job' }), name: ' x', interval: '' };
    expect(Object.keys(scheduleFormErrors(job)).sort()).toEqual(['interval', 'job', 'name']);
  });

  it("proposes the old UI's names", () => {
    expect(
      suggestedScheduleName({ kind: 'elt', job: '', extractor: 'tap-gitlab', loader: 'target-postgres' }),
    ).toBe('gitlab-to-postgres');
    expect(suggestedScheduleName({ kind: 'elt', job: '', extractor: 'tap-gitlab', loader: '' })).toBe('');
    expect(suggestedScheduleName({ kind: 'job', job: 'nightly', extractor: '', loader: '' })).toBe(
      'nightly-schedule',
    );
  });
});
