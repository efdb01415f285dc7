import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

// The CLI path runs the Meltano-CLI stand-in (test-fixtures/meltano-standin), not the real Meltano.
const STANDIN = fileURLToPath(
  new URL('../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url),
);

type Method = 'PUT' | 'PATCH' | 'DELETE' | 'POST';

describe.each(DIALECTS)('state edits through the API (%s)', (dialect) => {
  let app: TestApp;
  const send = async (method: Method, url: string, payload?: unknown, raw?: string) => {
    const res = await app.server.inject({
      method,
      url,
      ...(raw !== undefined
        ? { payload: raw, headers: { 'content-type': 'application/json' } }
        : payload === undefined
          ? {}
          : { payload: payload as object }),
    });
    return { status: res.statusCode, body: res.json() };
  };
  const stateRow = (stateId: string) =>
    app.core.db.withKysely((k) =>
      k.selectFrom('state').selectAll().where('state_id', '=', stateId).executeTakeFirst(),
    );
  const editRows = (stateId: string) =>
    app.core.db.withKysely((k) =>
      k
        .selectFrom('runs')
        .selectAll()
        .where('job_name', '=', stateId)
        .where('state', '=', 'STATE_EDIT')
        .orderBy('id')
        .execute(),
    );

  beforeAll(async () => {
    // project_readonly forbids project files, not state: every edit below must pass under it.
    app = await startTestApp(dialect, { env: { MELTANO_PROJECT_READONLY: 'true' } });
  });
  afterAll(() => app.cleanup());

  it('sets, merges, copies and clears, and GET /state/{id} shows each', async () => {
    const set = await send('PUT', '/api/v1/state/api-demo', {
      state: { singer_state: { bookmarks: { users: { last_id: 10 } } } },
    });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({
      state_id: 'api-demo',
      operation: 'set',
      backend: 'systemdb',
      output: null,
      state: {
        completed_state: { singer_state: { bookmarks: { users: { last_id: 10 } } } },
        partial_state: {},
      },
    });
    expect(set.body.message).toMatch(
      /^State for api-demo was successfully set at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d\+0000\.$/,
    );
    expect(await editRows('api-demo')).toMatchObject([
      {
        payload: '{"singer_state": {"bookmarks": {"users": {"last_id": 10}}}}',
        payload_flags: 1,
        trigger: 'ui',
      },
    ]);

    const merged = await send('PATCH', '/api/v1/state/api-demo', {
      state: { singer_state: { bookmarks: { orders: { last_id: 3 } } } },
    });
    expect(merged.status).toBe(200);
    const read = (await app.server.inject({ url: '/api/v1/state/api-demo' })).json();
    expect(read.merged).toEqual({
      singer_state: { bookmarks: { users: { last_id: 10 }, orders: { last_id: 3 } } },
    });
    expect(await stateRow('api-demo')).toMatchObject({
      partial_state: '{"singer_state": {"bookmarks": {"orders": {"last_id": 3}}}}',
      completed_state: '{"singer_state": {"bookmarks": {"users": {"last_id": 10}}}}',
    });

    const copied = await send('POST', '/api/v1/state/api-copy/copy', { from: 'api-demo' });
    expect(copied.status).toBe(200);
    expect(copied.body.state.completed_state).toEqual(read.merged);

    const cleared = await send('DELETE', '/api/v1/state/api-demo');
    expect(cleared).toMatchObject({ status: 200, body: { cleared: true, edit_run: null, state: null } });
    expect((await app.server.inject({ url: '/api/v1/state/api-demo' })).statusCode).toBe(404);
    expect(await editRows('api-demo')).toHaveLength(2);
  });

  it('stores the numbers and key order the client sent, not what JSON.parse would make of them', async () => {
    const raw =
      '{"state": {"singer_state": {"bookmarks": {"t": {"id": 123456789012345678901, "f": 1.0, "2": 0, "1": 0}}}}}';
    expect((await send('PUT', '/api/v1/state/exact', undefined, raw)).status).toBe(200);
    expect((await stateRow('exact'))?.completed_state).toBe(
      '{"singer_state": {"bookmarks": {"t": {"id": 123456789012345678901, "f": 1.0, "2": 0, "1": 0}}}}',
    );
  });

  it('answers 422 for a state Meltano would refuse, 400 for a body that is not JSON, 404 for a missing source', async () => {
    const missing = await send('PUT', '/api/v1/state/bad', { state: { bookmarks: {} } });
    expect(missing).toMatchObject({
      status: 422,
      body: { code: 'invalid_state', message: 'singer_state not found in top level of provided state' },
    });
    expect((await send('PATCH', '/api/v1/state/bad', { state: { singer_state: 'x' } })).status).toBe(422);
    expect((await send('PUT', '/api/v1/state/bad', undefined, '{"state": ')).status).toBe(400);
    expect((await send('PUT', '/api/v1/state/bad', { singer_state: {} })).status).toBe(400);
    expect((await send('POST', '/api/v1/state/bad/copy', { from: 'nothing-here' })).status).toBe(404);
    expect(await editRows('bad')).toEqual([]);
  });

  it('refuses every edit while a run of the state ID is running (409)', async () => {
    const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
    await app.core.db.withKysely((k) =>
      k
        .insertInto('runs')
        .values({
          job_name: 'cron-demo',
          state: 'RUNNING',
          started_at: now,
          last_heartbeat_at: now,
          payload: '{}',
          payload_flags: 0,
          run_id: dialect === 'sqlite' ? 'ab'.repeat(16) : '0badc0de-0000-7000-8000-000000000000',
          trigger: 'cli',
        })
        .execute(),
    );
    const state = { state: { singer_state: {} } };
    for (const [method, url, body] of [
      ['PUT', '/api/v1/state/cron-demo', state],
      ['PATCH', '/api/v1/state/cron-demo', state],
      ['DELETE', '/api/v1/state/cron-demo', undefined],
      ['POST', '/api/v1/state/cron-demo/copy', { from: 'daily-demo' }],
    ] as const) {
      const res = await send(method, url, body);
      expect([method, res.status, res.body.code]).toEqual([method, 409, 'state_id_running']);
    }
  });
});

describe('a state backend other than the system DB', () => {
  let app: TestApp;
  let stateDir: string;
  beforeAll(async () => {
    stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'state-backend-'));
    app = await startTestApp('sqlite', {
      env: { MELTANO_UI_MELTANO_EXECUTABLE: STANDIN, MELTANO_STATE_BACKEND_URI: `file://${stateDir}` },
    });
  });
  afterAll(async () => {
    await app.cleanup();
    fs.rmSync(stateDir, { recursive: true, force: true });
  });

  it('runs `meltano state … --force` and shows its output', async () => {
    const res = await app.server.inject({
      method: 'PUT',
      url: '/api/v1/state/remote',
      payload: { state: { singer_state: { bookmarks: { users: { last_id: 4 } } } } },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ backend: 'file', edit_run: null, state: null });
    expect(res.json().output).toContain('State for remote was successfully set');
    expect(JSON.parse(fs.readFileSync(path.join(stateDir, 'remote', 'state.json'), 'utf8'))).toEqual({
      completed: { singer_state: { bookmarks: { users: { last_id: 4 } } } },
      partial: {},
    });
    // Read back through `meltano state get`: the system DB knows nothing of it.
    const read = await app.server.inject({ url: '/api/v1/state/remote' });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.json()).toMatchObject({
      state_id: 'remote',
      backend: 'file',
      merged: { singer_state: { bookmarks: { users: { last_id: 4 } } } },
    });
    const cleared = await app.server.inject({ method: 'DELETE', url: '/api/v1/state/remote' });
    expect(cleared.statusCode).toBe(200);
    expect(fs.existsSync(path.join(stateDir, 'remote'))).toBe(false);
    expect((await app.server.inject({ url: '/api/v1/state/remote' })).statusCode).toBe(404);
    // The CLI's refusal comes back as 502 with what it printed.
    const failed = await app.server.inject({
      method: 'POST',
      url: '/api/v1/state/x/copy',
      payload: { from: 'none' },
    });
    expect(failed.statusCode).toBe(502);
    expect(failed.json()).toMatchObject({ code: 'state_cli_failed' });
    expect(failed.json().details.output).toContain('singer_state not found in top level of provided state');
  });
});
