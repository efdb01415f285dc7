import fs from 'node:fs';
import path from 'node:path';
import { createAuthService } from '@meltano-ui/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, TEST_SECRETS, type TestApp } from './support/test-app.js';

const SECRET = 'hunter2-very-secret-value';
// A meltano.yml line an operator broke while pasting a password: YAML refuses it, and its parser's
// message quotes the line.
const BROKEN_YML = [
  'version: 1',
  'default_environment: dev',
  'plugins:',
  '  extractors:',
  '  - name: tap-broken',
  '    config:',
  `      password: ${SECRET}: oops`,
  '      uri: postgresql://loader:uri-pass-123@db/x',
  '',
].join('\n');

describe.each(DIALECTS)('readiness with a broken project file (%s)', (dialect) => {
  let app: TestApp;
  const logLines: string[] = [];
  let viewer: string;

  beforeAll(async () => {
    app = await startTestApp(dialect, {
      version: 'v2.20.0',
      logLines,
      env: { MELTANO_UI_AUTHENTICATION: 'true', MELTANO_UI_LEGACY_PASSWORD_SALT: 'fixture-salt-7f3a9c' },
    });
    const auth = createAuthService({ db: app.core.db, passwordSalt: TEST_SECRETS.MELTANO_UI_PASSWORD_SALT });
    await auth.users.create({ username: 'ready-viewer', password: 'viewer-password', roles: ['viewer'] });
    const login = await app.server.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'ready-viewer', password: 'viewer-password' },
    });
    const cookie = login.cookies.find((c) => c.name === 'meltano_ui_session');
    viewer = `${cookie?.name}=${cookie?.value}`;
    fs.writeFileSync(path.join(app.root, 'meltano.yml'), BROKEN_YML);
  });
  afterAll(() => app.cleanup());

  it('tells anonymous callers only which part is broken: no file, path, line or secret', async () => {
    const res = await app.server.inject({ url: '/api/v1/ready' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      ready: false,
      checks: [
        { name: 'project', ok: false, message: 'broken' },
        { name: 'database', ok: true, message: 'ok' },
        { name: 'logs', ok: true, message: 'ok' },
      ],
    });
    for (const leak of [SECRET, 'uri-pass-123', 'meltano.yml', app.root])
      expect(res.body).not.toContain(leak);
  });

  it('gives signed-in readers the file (relative), line, column and a masked excerpt', async () => {
    const res = await app.server.inject({ url: '/api/v1/ready', headers: { cookie: viewer } });
    expect(res.statusCode).toBe(503);
    const project = res.json().checks[0];
    expect(project).toMatchObject({ name: 'project', ok: false, file: 'meltano.yml', line: 7 });
    expect(project.column).toBeGreaterThan(0);
    expect(project.message).toMatch(/^meltano\.yml: /);
    expect(project.excerpt).toContain('password: (redacted)');
    for (const leak of [SECRET, 'uri-pass-123', app.root]) expect(res.body).not.toContain(leak);
  });

  it('masks the error on every route that meets it (503 body, /project), paths relative', async () => {
    const plugins = await app.server.inject({ url: '/api/v1/plugins', headers: { cookie: viewer } });
    expect(plugins.statusCode).toBe(503);
    expect(plugins.json()).toMatchObject({
      code: 'project_file_invalid',
      details: { file: 'meltano.yml', line: 7 },
    });
    const project = await app.server.inject({ url: '/api/v1/project', headers: { cookie: viewer } });
    expect(project.json().load_error).toMatchObject({ file: 'meltano.yml', line: 7 });
    for (const body of [plugins.body, project.body]) {
      for (const leak of [SECRET, 'uri-pass-123', app.root]) expect(body).not.toContain(leak);
    }
  });

  it('logs the error once across 20 probes, masked, and once more when it is fixed', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await app.server.inject({ url: '/api/v1/ready' })).statusCode).toBe(503);
    }
    const logs = logLines.join('\n');
    expect(logLines.filter((l) => l.includes('project files do not load'))).toHaveLength(1);
    expect(logs).toContain('(redacted)');
    for (const leak of [SECRET, 'uri-pass-123']) expect(logs).not.toContain(leak);
    fs.writeFileSync(path.join(app.root, 'meltano.yml'), 'version: 1\ndefault_environment: dev\n');
    expect((await app.server.inject({ url: '/api/v1/ready' })).statusCode).toBe(200);
    expect(logLines.filter((l) => l.includes('project files parse again'))).toHaveLength(1);
  });
});
