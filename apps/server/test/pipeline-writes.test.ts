import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

describe.each(DIALECTS)('changing schedules and jobs (%s)', (dialect) => {
  let app: TestApp;
  let original: string;
  const send = async (method: 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers = {}) => {
    const res = await app.server.inject({ method, url, payload: payload as object, headers });
    return { status: res.statusCode, body: res.json() };
  };
  const meltanoYml = () => fs.readFileSync(path.join(app.root, 'meltano.yml'), 'utf8');

  beforeAll(async () => {
    app = await startTestApp(dialect, {});
    original = meltanoYml();
  });
  afterAll(() => app.cleanup());

  it('adds, changes, renames and deletes a schedule, touching only its lines', async () => {
    const created = await send('POST', '/api/v1/schedules', {
      name: 'hourly-demo',
      interval: '0 * * * *',
      extractor: 'tap-demo',
      loader: 'target-demo',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'hourly-demo', source_file: 'meltano.yml' });
    const listed = (await app.server.inject({ url: '/api/v1/schedules/hourly-demo' })).json();
    expect(listed).toMatchObject({
      interval: '0 * * * *',
      state_ids: ['hourly-demo'],
      version: created.body.version,
    });

    const patched = await send(
      'PATCH',
      '/api/v1/schedules/hourly-demo',
      { interval: '@daily', name: 'daily-two' },
      {
        'if-match': created.body.version,
      },
    );
    expect(patched.status).toBe(200);
    const stale = await send(
      'PATCH',
      '/api/v1/schedules/daily-two',
      { interval: '@weekly' },
      { 'if-match': created.body.version },
    );
    expect(stale.status).toBe(409);
    expect(meltanoYml()).toContain('- name: daily-two');

    expect((await send('DELETE', '/api/v1/schedules/daily-two')).status).toBe(200);
    expect(meltanoYml()).toBe(original);
  });

  it('names the field that is wrong', async () => {
    const bad = await send('POST', '/api/v1/schedules', {
      name: 'x',
      interval: 'every tuesday',
      job: 'demo-job',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toMatchObject({ field: 'interval' });
    const missing = await send('POST', '/api/v1/schedules', {
      name: 'x',
      interval: '@daily',
      job: 'no-such-job',
    });
    expect(missing).toMatchObject({ status: 400, body: { details: { field: 'job' } } });
    const shape = await send('POST', '/api/v1/schedules', { name: 'x', interval: '@daily' });
    expect(shape.status).toBe(400);
    expect((await send('PATCH', '/api/v1/schedules/nope', { interval: '@daily' })).status).toBe(404);
    expect(meltanoYml()).toBe(original);
  });

  it('refuses a job task or schedule naming a plugin the project does not have, naming the field', async () => {
    const task = await send('POST', '/api/v1/jobs', {
      name: 'nightly',
      tasks: ['tap-demo target-demo', 'tap-demo target-dmeo'],
    });
    expect(task.status).toBe(400);
    expect(task.body.details).toEqual({ field: 'tasks[1]' });
    expect(task.body.message).toMatch(
      /^Task 2: 'target-dmeo' is not a plugin of this project\. Did you mean 'target-demo'\? It has extractors: .*tap-demo/,
    );
    const patched = await send('PATCH', '/api/v1/jobs/demo-job', { tasks: ['tap-nope target-demo'] });
    expect(patched).toMatchObject({ status: 400, body: { details: { field: 'tasks[0]' } } });
    const extractor = await send('POST', '/api/v1/schedules', {
      name: 'x',
      interval: '@daily',
      extractor: 'tap-nope',
      loader: 'target-demo',
    });
    expect(extractor).toMatchObject({ status: 400, body: { details: { field: 'extractor' } } });
    expect(extractor.body.message).toMatch(
      /^There is no extractor named 'tap-nope' in the project\. .*tap-demo/,
    );
    const loader = await send('PATCH', '/api/v1/schedules/daily-demo', { loader: 'target-nope' });
    expect(loader).toMatchObject({ status: 400, body: { details: { field: 'loader' } } });
    expect(meltanoYml()).toBe(original);
  });

  it('adds and removes a job', async () => {
    const job = await send('POST', '/api/v1/jobs', { name: 'nightly', tasks: ['tap-demo target-demo'] });
    expect(job.status).toBe(201);
    expect((await app.server.inject({ url: '/api/v1/jobs/nightly' })).json().tasks).toEqual([
      ['tap-demo', 'target-demo'],
    ]);
    expect((await send('DELETE', '/api/v1/jobs/nightly')).status).toBe(200);
    expect(meltanoYml()).toBe(original);
  });

  it('refuses every change with 499 when the project is read-only, and writes nothing', async () => {
    const ro = await startTestApp(dialect, { env: { MELTANO_PROJECT_READONLY: 'true' } });
    try {
      const before = fs.readFileSync(path.join(ro.root, 'meltano.yml'), 'utf8');
      const res = await ro.server.inject({
        method: 'PATCH',
        url: '/api/v1/schedules/daily-demo',
        payload: { interval: '@hourly' },
      });
      expect(res.statusCode).toBe(499);
      expect(res.json()).toMatchObject({
        error: true,
        code: 'This Meltano project is deployed as read-only',
      });
      expect(fs.readFileSync(path.join(ro.root, 'meltano.yml'), 'utf8')).toBe(before);
    } finally {
      await ro.cleanup();
    }
  });
});
