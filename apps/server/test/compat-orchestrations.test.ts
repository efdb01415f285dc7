import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSubscriptions } from '../../../packages/core/src/notifications/legacy-email.js';
import { OLD_LOG_MAX_BYTES } from '../src/routes/compat/orchestrations.js';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';
import { until } from './support/wait.js';

// The old UI's orchestrations and pipeline-schedules routes (reference §1.5–§1.8), on runs made by the
// Meltano-CLI stand-in (test-fixtures/meltano-standin), not the real Meltano.
const STANDIN = fileURLToPath(
  new URL('../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url),
);
const RFC1123 = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

function multipart(fields: Record<string, string>, file: { name: string; content: string }) {
  const boundary = '----compat-test-boundary';
  const parts = Object.entries(fields).map(
    ([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
  );
  parts.push(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\n` +
      `Content-Type: application/json\r\n\r\n${file.content}\r\n`,
  );
  return {
    payload: `${parts.join('')}--${boundary}--\r\n`,
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  };
}

describe.each(DIALECTS)('old UI orchestrations and schedules (%s)', (dialect) => {
  let app: TestApp;
  let inject: TestApp['server']['inject'];
  beforeAll(async () => {
    app = await startTestApp(dialect, {
      version: 'v2.20.0',
      env: { MELTANO_UI_MELTANO_EXECUTABLE: STANDIN },
    });
    inject = app.server.inject.bind(app.server);
  });
  afterAll(() => app.cleanup());

  const schedules = async () =>
    (await inject({ url: '/api/v1/orchestrations/pipeline-schedules' })).json() as Record<string, unknown>[];

  it('POST pipeline-schedules: 201, the name slugified, start_date YYYY-MM-DD; 409 with the old message; bad cron 400', async () => {
    const body = {
      name: 'My Pipeline',
      extractor: 'tap-demo',
      loader: 'target-demo',
      transform: 'skip',
      interval: '@daily',
    };
    const created = await inject({
      method: 'POST',
      url: '/api/v1/orchestrations/pipeline-schedules',
      payload: body,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({
      name: 'my-pipeline',
      extractor: 'tap-demo',
      loader: 'target-demo',
      transform: 'skip',
      interval: '@daily',
      start_date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    const again = await inject({
      method: 'POST',
      url: '/api/v1/orchestrations/pipeline-schedules',
      payload: body,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toEqual({
      error: true,
      code: "A pipeline with the name 'my-pipeline' already exists. Try renaming the pipeline.",
    });
    const badCron = await inject({
      method: 'POST',
      url: '/api/v1/orchestrations/pipeline-schedules',
      payload: { ...body, name: 'other', interval: 'every tuesday' },
    });
    expect(badCron.statusCode).toBe(400);
    expect(badCron.json().error).toBe(true);
  });

  it('GET pipeline-schedules: ELT schedules with status fields, job schedules left out', async () => {
    const list = await schedules();
    expect(list.map((s) => s.name)).toEqual(['daily-demo', 'failing-demo', 'cron-demo', 'my-pipeline']);
    const mine = list.find((s) => s.name === 'my-pipeline');
    expect(mine).toMatchObject({
      state_id: 'my-pipeline',
      is_running: false,
      has_error: false,
      started_at: null,
      ended_at: null,
      trigger: null,
      has_ever_succeeded: null,
    });
    expect(mine).not.toHaveProperty('env');
  });

  it('run → 202 {state_id}; jobs/state until complete; log and download; has_ever_succeeded true', async () => {
    const started = await inject({
      method: 'POST',
      url: '/api/v1/orchestrations/run',
      payload: { name: 'my-pipeline' },
    });
    expect(started.statusCode, started.body).toBe(202);
    expect(started.json()).toEqual({ state_id: 'my-pipeline' });
    const job = await until('the run to end', async () => {
      const res = await inject({
        method: 'POST',
        url: '/api/v1/orchestrations/jobs/state',
        payload: { state_ids: ['my-pipeline', 'no-such-pipeline'] },
      });
      const jobs = res.json().jobs as Record<string, unknown>[];
      return jobs[0]?.is_complete ? jobs : null;
    });
    // Ids without runs are left out.
    expect(job).toHaveLength(1);
    expect(job[0]).toEqual({
      state_id: 'my-pipeline',
      is_complete: true,
      has_error: false,
      started_at: expect.stringMatching(RFC1123),
      ended_at: expect.stringMatching(RFC1123),
      has_ever_succeeded: true,
    });
    const log = await inject({ url: '/api/v1/orchestrations/jobs/my-pipeline/log' });
    expect(log.statusCode, log.body).toBe(200);
    expect(log.json()).toMatchObject({
      state_id: 'my-pipeline',
      has_log_exceeded_max_size: false,
      has_error: false,
      trigger: 'ui',
      has_ever_succeeded: true,
    });
    expect(log.json().log).toContain('tap-demo');
    const download = await inject({ url: '/api/v1/orchestrations/jobs/my-pipeline/download' });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(download.body).toBe(log.json().log);
    const listed = (await schedules()).find((s) => s.name === 'my-pipeline');
    expect(listed).toMatchObject({ is_running: false, trigger: 'ui', has_ever_succeeded: true });
  });

  it(`log: ${OLD_LOG_MAX_BYTES} bytes exactly is read, one byte more is not (has_log_exceeded_max_size); download has no cap`, async () => {
    const dir = path.join(app.root, '.meltano', 'logs', 'elt', 'my-pipeline');
    const [runDir] = fs.readdirSync(dir);
    const file = path.join(dir, runDir as string, 'elt.log');
    fs.writeFileSync(file, 'x'.repeat(OLD_LOG_MAX_BYTES));
    const atLimit = (await inject({ url: '/api/v1/orchestrations/jobs/my-pipeline/log' })).json();
    expect(atLimit.has_log_exceeded_max_size).toBe(false);
    expect(atLimit.log).toHaveLength(OLD_LOG_MAX_BYTES);
    fs.appendFileSync(file, 'y');
    const over = await inject({
      url: '/api/v1/orchestrations/jobs/my-pipeline/log',
      headers: { 'x-json-scheme': 'camel' },
    });
    expect(over.json()).toMatchObject({ stateId: 'my-pipeline', log: null, hasLogExceededMaxSize: true });
    const download = await inject({ url: '/api/v1/orchestrations/jobs/my-pipeline/download' });
    expect(download.rawPayload.length).toBe(OLD_LOG_MAX_BYTES + 1);
  });

  it('a missing log answers 404 with a JSON body (the old UI: 204 with none)', async () => {
    for (const url of [
      '/api/v1/orchestrations/jobs/nothing-here/log',
      '/api/v1/orchestrations/jobs/nothing-here/download',
    ]) {
      const res = await inject({ url });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error: true, code: "No log found for the pipeline 'nothing-here'." });
    }
  });

  it('run: an unknown schedule is 404 (the old UI: 202, failing in the background)', async () => {
    const res = await inject({
      method: 'POST',
      url: '/api/v1/orchestrations/run',
      payload: { name: 'nope' },
    });
    expect(res.statusCode).toBe(404);
    expect(res.json().error).toBe(true);
  });

  it('PUT pipeline-schedules changes the schedule by name (fixed), 201; namespace alone only when unambiguous', async () => {
    const res = await inject({
      method: 'PUT',
      url: '/api/v1/orchestrations/pipeline-schedules',
      payload: { name: 'my-pipeline', interval: '@hourly', transform: 'run' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ name: 'my-pipeline', interval: '@hourly', transform: 'run' });
    // daily-demo, cron-demo and my-pipeline all run tap-demo: the old UI changed the first of them.
    const ambiguous = await inject({
      method: 'PUT',
      url: '/api/v1/orchestrations/pipeline-schedules',
      payload: { plugin_namespace: 'tap_demo', interval: '@weekly' },
    });
    expect(ambiguous.statusCode).toBe(400);
    expect((await schedules()).find((s) => s.name === 'daily-demo')?.interval).toBe('@daily');
    const missing = await inject({
      method: 'PUT',
      url: '/api/v1/orchestrations/pipeline-schedules',
      payload: { name: 'nope', interval: '@weekly' },
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toEqual({ error: true, code: "A pipeline with the name 'nope' does not exist.." });
  });

  it('DELETE pipeline-schedules: 201 with the name as a JSON string; 404 with the old message (two dots)', async () => {
    const res = await inject({
      method: 'DELETE',
      url: '/api/v1/orchestrations/pipeline-schedules',
      payload: { name: 'my-pipeline' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.body).toBe('"my-pipeline"');
    const again = await inject({
      method: 'DELETE',
      url: '/api/v1/orchestrations/pipeline-schedules',
      payload: { name: 'my-pipeline' },
    });
    expect(again.statusCode).toBe(404);
    expect(again.json()).toEqual({
      error: true,
      code: "A pipeline with the name 'my-pipeline' does not exist..",
    });
  });

  it('a schedule whose start_date YAML reads as a date, or that has none, does not break the list (fixed)', async () => {
    const file = path.join(app.root, 'meltano.yml');
    const yml = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(
      file,
      yml.replace(
        'schedules:\n',
        'schedules:\n- name: dated\n  interval: "@daily"\n  extractor: tap-demo\n  loader: target-demo\n  transform: skip\n  start_date: 2021-01-01\n',
      ),
    );
    const list = await inject({ url: '/api/v1/orchestrations/pipeline-schedules' });
    expect(list.statusCode).toBe(200);
    const dated = (list.json() as Record<string, unknown>[]).find((s) => s.name === 'dated');
    expect(dated?.start_date).toBe('2021-01-01');
    fs.writeFileSync(file, yml);
  });

  it('subscriptions: 201 with an RFC 822 created_at, 409 duplicate, 422 bad address, list, DELETE works (fixed)', async () => {
    const body = {
      recipient: 'ops@example.com',
      event_type: 'pipeline_manual_run',
      source_type: 'pipeline',
      source_id: 'daily-demo',
    };
    const created = await inject({
      method: 'POST',
      url: '/api/v1/orchestrations/subscriptions',
      payload: body,
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toEqual({
      ...body,
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      created_at: expect.stringMatching(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} -0000$/),
    });
    const dup = await inject({ method: 'POST', url: '/api/v1/orchestrations/subscriptions', payload: body });
    expect(dup.statusCode).toBe(409);
    expect(dup.json()).toMatchObject({
      error: true,
      code: 'A subscription already exists for this address.',
      status: 409,
    });
    const bad = await inject({
      method: 'POST',
      url: '/api/v1/orchestrations/subscriptions',
      payload: { ...body, recipient: 'not an address' },
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json()).toMatchObject({
      error: true,
      code: 'The subscription could not be created.',
      status: 422,
    });
    const list = (await inject({ url: '/api/v1/orchestrations/subscriptions' })).json();
    expect(list).toEqual([created.json()]);
    // ui.notification's email goes to the subscribers of the schedule (core's notifier reads them).
    expect((await readSubscriptions(app.core.db)).get('daily-demo')).toEqual(['ops@example.com']);
    const { id } = created.json();
    const removed = await inject({ method: 'DELETE', url: `/api/v1/orchestrations/subscriptions/${id}` });
    expect(removed.statusCode).toBe(204);
    expect(
      (await inject({ method: 'DELETE', url: `/api/v1/orchestrations/subscriptions/${id}` })).statusCode,
    ).toBe(404);
    expect((await inject({ url: '/api/v1/orchestrations/subscriptions' })).json()).toEqual([]);
  });

  it("subscriptions in Meltano 2's own table are listed, count as duplicates and can be deleted", async () => {
    const id = '6a1f0c2e-1b2c-4d3e-8f90-a1b2c3d4e5f6';
    const stored = dialect === 'sqlite' ? id.replace(/-/g, '') : id;
    if (dialect === 'postgres') {
      // The PostgreSQL test schema is Meltano 3's, which dropped the table: made as Meltano 2 had it.
      await app.core.db.withKysely((k) =>
        k.schema
          .createTable('subscriptions')
          .addColumn('id', 'uuid', (c) => c.primaryKey())
          .addColumn('recipient', 'varchar(255)', (c) => c.notNull())
          .addColumn('event_type', 'varchar(255)', (c) => c.notNull())
          .addColumn('source_type', 'varchar(255)')
          .addColumn('source_id', 'varchar(255)')
          .addColumn('created_at', 'timestamp')
          .execute(),
      );
    }
    await app.core.db.withKysely((k) =>
      k
        .insertInto('subscriptions')
        .values({
          id: stored,
          recipient: 'old@example.com',
          event_type: 'pipeline_manual_run',
          source_type: 'pipeline',
          source_id: 'cron-demo',
          created_at: '2023-03-14 10:00:00',
        })
        .execute(),
    );
    const list = (await inject({ url: '/api/v1/orchestrations/subscriptions' })).json();
    expect(list).toContainEqual({
      id,
      recipient: 'old@example.com',
      event_type: 'pipeline_manual_run',
      source_type: 'pipeline',
      source_id: 'cron-demo',
      created_at: 'Tue, 14 Mar 2023 10:00:00 -0000',
    });
    const dup = await inject({
      method: 'POST',
      url: '/api/v1/orchestrations/subscriptions',
      payload: {
        recipient: 'old@example.com',
        event_type: 'pipeline_manual_run',
        source_type: 'pipeline',
        source_id: 'cron-demo',
      },
    });
    expect(dup.statusCode).toBe(409);
    expect((await readSubscriptions(app.core.db)).get('cron-demo')).toEqual(['old@example.com']);
    expect(
      (await inject({ method: 'DELETE', url: `/api/v1/orchestrations/subscriptions/${id}` })).statusCode,
    ).toBe(204);
    expect((await inject({ url: '/api/v1/orchestrations/subscriptions' })).json()).toEqual([]);
  });

  it('upload-file: a JSON file under extract/<plugin>/[tmp/]<setting>/; wrong type and empty files 400; delete removes it', async () => {
    const url = '/api/v1/orchestrations/extractors/tap-demo/configuration';
    const up = multipart(
      { setting_name: 'key_file', tmp: 'false' },
      { name: 'key file.json', content: '{"a":1}' },
    );
    const res = await inject({ method: 'POST', url: `${url}/upload-file`, ...up });
    expect(res.statusCode, res.body).toBe(200);
    // `tmp` is true for any non-empty string, as the old form read it.
    expect(res.json()).toEqual({
      path: 'extract/tap-demo/tmp/key_file/key_file.json',
      setting_name: 'key_file',
    });
    expect(fs.readFileSync(path.join(app.root, res.json().path), 'utf8')).toBe('{"a":1}');
    const csv = multipart({ setting_name: 'key_file' }, { name: 'data.csv', content: 'a,b' });
    const wrong = await inject({ method: 'POST', url: `${url}/upload-file`, ...csv });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toEqual({
      error: true,
      code: "The file 'data.csv' must be one of the following types: JSON",
    });
    const empty = multipart({ setting_name: 'key_file' }, { name: 'e.json', content: '' });
    expect((await inject({ method: 'POST', url: `${url}/upload-file`, ...empty })).json().code).toBe(
      "The file 'e.json' is empty or exceeds the 4194304 size limit.",
    );
    const deleted = await inject({
      method: 'POST',
      url: `${url}/delete-uploaded-file`,
      payload: { settingName: 'key_file', tmp: true },
    });
    expect(deleted.statusCode, deleted.body).toBe(200);
    expect(deleted.json()).toEqual({ setting_name: 'key_file' });
    expect(fs.existsSync(path.join(app.root, 'extract/tap-demo/tmp/key_file'))).toBe(false);
  });

  it('upload-file never writes outside the project: through a symlinked folder or file, 4xx and nothing written', async () => {
    const url = '/api/v1/orchestrations/extractors/tap-demo/configuration';
    const outside = fs.mkdtempSync(path.join(path.dirname(app.root), 'outside-'));
    try {
      // A folder of the upload path that is a link out of the project: refused before any mkdir.
      fs.rmSync(path.join(app.root, 'extract', 'tap-demo'), { recursive: true, force: true });
      fs.mkdirSync(path.join(app.root, 'extract', 'tap-demo'), { recursive: true });
      fs.symlinkSync(outside, path.join(app.root, 'extract', 'tap-demo', 'tmp'));
      const viaFolder = await inject({
        method: 'POST',
        url: `${url}/upload-file`,
        ...multipart({ setting_name: 'creds', tmp: 'yes' }, { name: 'c.json', content: '{}' }),
      });
      expect(viaFolder.statusCode, viaFolder.body).toBeGreaterThanOrEqual(400);
      expect(viaFolder.statusCode).toBeLessThan(500);
      expect(fs.readdirSync(outside)).toEqual([]);
      fs.unlinkSync(path.join(app.root, 'extract', 'tap-demo', 'tmp'));
      // The file's own name planted as a link to a file outside: refused, the target untouched.
      const target = path.join(outside, 'victim.json');
      fs.writeFileSync(target, 'keep');
      fs.mkdirSync(path.join(app.root, 'extract', 'tap-demo', 'creds'), { recursive: true });
      fs.symlinkSync(target, path.join(app.root, 'extract', 'tap-demo', 'creds', 'c.json'));
      const viaFile = await inject({
        method: 'POST',
        url: `${url}/upload-file`,
        ...multipart({ setting_name: 'creds' }, { name: 'c.json', content: '{"x":1}' }),
      });
      expect(viaFile.statusCode, viaFile.body).toBe(400);
      expect(fs.readFileSync(target, 'utf8')).toBe('keep');
    } finally {
      fs.rmSync(path.join(app.root, 'extract', 'tap-demo'), { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('plugins/installed by type; plugins/install runs `meltano install` and answers the entry; install/batch []', async () => {
    const installed = (await inject({ url: '/api/v1/plugins/installed' })).json();
    expect(Object.keys(installed)).toEqual([
      'extractors',
      'loaders',
      'transforms',
      'orchestrators',
      'transformers',
      'files',
      'utilities',
      'mappers',
      'mappings',
    ]);
    expect(installed.extractors.map((p: { name: string }) => p.name)).toContain('tap-demo-fail');
    expect(installed.loaders[0]).toMatchObject({ name: 'target-demo', namespace: 'target_demo' });
    const install = await inject({
      method: 'POST',
      url: '/api/v1/plugins/install',
      payload: { plugin_type: 'loaders', name: 'target-demo' },
    });
    expect(install.statusCode, install.body).toBe(200);
    expect(install.json()).toEqual({ name: 'target-demo' });
    const batch = await inject({
      method: 'POST',
      url: '/api/v1/plugins/install/batch',
      payload: { pluginType: 'extractors', name: 'tap-demo' },
    });
    expect(batch.statusCode, batch.body).toBe(200);
    expect(batch.json()).toEqual([]);
    const unknown = await inject({
      method: 'POST',
      url: '/api/v1/plugins/install',
      payload: { plugin_type: 'loaders', name: 'target-nope' },
    });
    expect(unknown.statusCode).toBe(404);
  });
});
