import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

const NOW = new Date('2026-11-21T05:00:00Z');

describe.each(DIALECTS)('robustness (%s)', (dialect) => {
  let app: TestApp;
  const bodies: string[] = [];
  const inject = async (url: string, headers: Record<string, string> = {}) => {
    const res = await app.server.inject({ method: 'GET', url, headers });
    bodies.push(res.body);
    return res;
  };

  beforeAll(async () => {
    app = await startTestApp(dialect, { now: NOW });
  });
  afterAll(() => app.cleanup());

  it('is healthy and ready', async () => {
    const health = await inject('/api/v1/health');
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ healthy: true });
    const ready = await inject('/api/v1/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().checks.map((c: { name: string; ok: boolean }) => [c.name, c.ok])).toEqual([
      ['project', true],
      ['database', true],
      ['logs', true],
    ]);
  });

  it('keeps serving when meltano.yml breaks, shows where, and recovers after a fix', async () => {
    const file = path.join(app.root, 'meltano.yml');
    const good = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, good.replace('default_environment: dev\n', 'default_environment: dev: oops\n'));
    try {
      const schedules = await inject('/api/v1/schedules');
      expect(schedules.statusCode).toBe(503);
      expect(schedules.json()).toMatchObject({ error: true, code: 'project_file_invalid' });
      const project = (await inject('/api/v1/project')).json();
      expect(project.load_error).toMatchObject({
        code: 'project_file_invalid',
        file: 'meltano.yml',
        line: 2,
      });
      expect(project.load_error.column).toBeGreaterThan(0);
      expect((await inject('/api/v1/health')).statusCode).toBe(200);
      const ready = await inject('/api/v1/ready');
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks[0]).toMatchObject({ name: 'project', ok: false });
      // Runs come from the database, which is fine.
      expect((await inject('/api/v1/runs')).statusCode).toBe(200);
    } finally {
      fs.writeFileSync(file, good);
    }
    expect((await inject('/api/v1/schedules')).statusCode).toBe(200);
  });

  it('picks up schedules added on disk without a restart', async () => {
    const file = path.join(app.root, 'meltano.yml');
    const good = fs.readFileSync(file, 'utf8');
    try {
      const withNew = good.replace(
        'schedules:\n',
        "schedules:\n- name: added-later\n  interval: '@hourly'\n  job: demo-job\n",
      );
      fs.writeFileSync(file, withNew);
      // A look at the disk already under way (a background reader's) may have begun before the write:
      // the one after it sees the new schedule.
      await expect
        .poll(async () =>
          (await inject('/api/v1/schedules')).json().schedules.map((s: { name: string }) => s.name),
        )
        .toContain('added-later');
    } finally {
      fs.writeFileSync(file, good);
    }
  });

  it('never leaves the logs root, whatever the path or query says', async () => {
    const attempts = [
      '/api/v1/runs/..%2F..%2F..%2Fetc%2Fpasswd/log',
      '/api/v1/runs/1%2F..%2F..%2Fetc/log',
      '/api/v1/runs/%2Fetc%2Fpasswd/log/download',
      '/api/v1/runs/1/log?offset=..%2F..%2Fetc%2Fpasswd',
      '/api/v1/runs/1/log?tail=../../etc/passwd',
      '/api/v1/runs/1/log/stream?offset=/etc/passwd',
      '/api/v1/runs?state_id=..%2F..%2F..%2Fetc%2Fpasswd',
      '/api/v1/state/..%2F..%2F..%2Fetc%2Fpasswd',
      '/api/v1/schedules/..%2F..%2Fmeltano.yml',
      '/api/v1/jobs/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/api/v1/plugins/..%2F..%2F/..%2Fetc',
      '/api/v1/..%2F..%2Fetc%2Fpasswd',
      '/..%2F..%2F..%2Fetc%2Fpasswd',
      '/api/v1/runs/1/log/download?file=/etc/passwd',
    ];
    for (const url of attempts) {
      const res = await inject(url, { 'last-event-id': '../../etc/passwd' });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(200);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.body, url).not.toMatch(/root:x:0:0|meltano\.yml\n|project_id:/);
    }
  });

  it('never answers 500 to malformed input', async () => {
    for (const url of [
      '/api/v1/runs?limit=abc',
      `/api/v1/runs?cursor=${'A'.repeat(300)}`,
      '/api/v1/runs?since=2026-13-45T99:99:99Z',
      '/api/v1/runs/99999999999999999999',
      '/api/v1/runs/1/log?length=0',
      '/api/v1/runs/1/log?tail=100001',
      `/api/v1/schedules/${'x'.repeat(5000)}`,
      '/api/v1/runs/1/log?offset=-1',
      // Ajv coerces the text "Infinity" to a number its integer and range checks skip.
      '/api/v1/audit?limit=Infinity',
      '/api/v1/audit?limit=-Infinity',
      '/api/v1/runs/1/log?tail=Infinity',
    ]) {
      const res = await inject(url);
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.json(), url).toMatchObject({ error: true });
      expect(res.body, url).not.toMatch(/\bat .+\.(ts|js):\d+/); // no stack trace
    }
  });

  it('answers a non-finite number in a query with a 400 naming the parameter', async () => {
    const res = await inject('/api/v1/audit?limit=Infinity');
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('querystring/limit must be a finite number');
  });

  it('refuses text PostgreSQL cannot hold (NUL, lone surrogates) with a 400 naming the field', async () => {
    for (const url of ['/api/v1/runs?state_id=%00', '/api/v1/runs?trigger=a%00b', '/api/v1/state/x%00y']) {
      const res = await inject(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json(), url).toMatchObject({ error: true, code: 'invalid_input' });
    }
    for (const name of ['a\u0000b', '\ud800']) {
      const res = await app.server.inject({
        method: 'POST',
        url: '/api/v1/schedules',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ name, interval: '@daily', job: 'demo-job' }),
      });
      expect(res.statusCode, name).toBe(400);
      expect(res.json().message, name).toMatch(/^body\.name holds a NUL character or malformed Unicode/);
    }
  });

  it('never puts a secret in a response', async () => {
    for (const url of ['/api/v1/project', '/api/v1/plugins', '/api/v1/schedules', '/api/v1/jobs'])
      await inject(url);
    const all = bodies.join('\n');
    expect(all).not.toContain('sk-demo-123'); // TAP_DEMO_API_KEY in .env
    expect(all).not.toContain('sk-db-456'); // api_key in plugin_settings
  });
});

describe('a project whose system database does not exist yet', () => {
  it('is not given one by starting the server or reading pages', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'no-db-'));
    const file = path.join(dir, 'meltano.db');
    const app = await startTestApp('sqlite', { env: { MELTANO_DATABASE_URI: `sqlite:///${file}` } });
    try {
      for (const url of ['/api/v1/schedules', '/api/v1/runs', '/api/v1/plugins', '/api/v1/identity']) {
        expect((await app.server.inject({ url })).statusCode).toBe(200);
      }
      const settings = await app.server.inject({ url: '/api/v1/plugins/extractors/tap-demo/settings' });
      expect(settings.statusCode).toBe(200);
      // The boot-time reconcile of launches ran too (nothing to do without a database).
      await new Promise((r) => setTimeout(r, 200));
      expect(fs.existsSync(file)).toBe(false);
    } finally {
      await app.cleanup();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('health does not depend on the database', () => {
  it('answers 200 when the SQLite file has been removed, and ready says why it is not', async () => {
    const app = await startTestApp('sqlite', { now: NOW });
    try {
      for (const suffix of ['', '-wal', '-shm'])
        fs.rmSync(path.join(app.root, '.meltano', `meltano.db${suffix}`), { force: true });
      const health = await app.server.inject({ url: '/api/v1/health' });
      expect(health.statusCode).toBe(200);
      expect(health.json()).toEqual({ healthy: true });
      // No DB file yet is "no runs yet", not an error.
      const runs = await app.server.inject({ url: '/api/v1/runs' });
      expect(runs.statusCode).toBe(200);
      expect(fs.existsSync(path.join(app.root, '.meltano', 'meltano.db'))).toBe(false);
    } finally {
      await app.cleanup();
    }
  });

  it('answers 200 when PostgreSQL is unreachable, while ready answers 503', async () => {
    const app = await startTestApp('sqlite', {
      now: NOW,
      env: {
        MELTANO_DATABASE_URI: 'postgresql://postgres@127.0.0.1:1/nowhere',
        MELTANO_UI_AUTHENTICATION: 'true',
      },
    });
    try {
      expect((await app.server.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
      const ready = await app.server.inject({ url: '/api/v1/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().checks.find((c: { name: string }) => c.name === 'database')).toMatchObject({
        ok: false,
      });
      // Nobody is signed in: refused before the database is needed.
      const runs = await app.server.inject({ url: '/api/v1/runs' });
      expect(runs.statusCode).toBe(401);
      expect(runs.json().code).toBe('authentication_required');
    } finally {
      await app.cleanup();
    }
  });
});
