// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` here is env-var syntax under test, not a template.
import fs from 'node:fs';
import path from 'node:path';
import { createAuthService } from '@meltano-ui/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, TEST_SECRETS, type TestApp } from './support/test-app.js';

/** A secret setting's variable, set in .env; the UI's own secret and PATH come from the process env. */
const ORBIT_SECRET = 'orbit-secret-value-4242';
const PROCESS_PATH = '/opt/secret-toolchain-7731/bin:/usr/bin:/bin';
const SECRETS = [
  ORBIT_SECRET,
  'orbit-secret-value-4242-new',
  TEST_SECRETS.MELTANO_UI_SECRET_KEY,
  PROCESS_PATH,
  'secret-toolchain-7731',
];
const REFERENCES = ['${TAP_ORBIT_API_KEY}', '${MELTANO_UI_SECRET_KEY}', '${PATH}'];

const ORBIT_PLUGIN = `  - name: tap-orbit
    namespace: tap_orbit
    executable: /bin/true
    settings:
    - name: api_key
      kind: string
      sensitive: true
    - name: workspace
    - name: copy_key
    - name: copy_ui
    - name: copy_path
    - name: host
    - name: host_copy
    config:
      copy_key: \${TAP_ORBIT_API_KEY}
      copy_ui: \${MELTANO_UI_SECRET_KEY}
      copy_path: \${PATH}
      host: https://\${ORBIT_HOST}/v1
`;

/** The v3.9.5 fixture with a tap-orbit plugin, and `${VAR}`s in a schedule's and an environment's env. */
function addReferences(root: string): void {
  const yml = path.join(root, 'meltano.yml');
  const text = fs
    .readFileSync(yml, 'utf8')
    .replace(
      '- name: dev\n',
      '- name: dev\n  env:\n    DEV_KEY: ${TAP_ORBIT_API_KEY}\n    DEV_UI: ${MELTANO_UI_SECRET_KEY}\n    DEV_PATH: ${PATH}\n',
    )
    .replace('plugins:\n  extractors:\n', `plugins:\n  extractors:\n${ORBIT_PLUGIN}`)
    .replace(
      '- name: daily-demo\n',
      '- name: daily-demo\n  env:\n    SCHED_KEY: ${TAP_ORBIT_API_KEY}\n    SCHED_UI: ${MELTANO_UI_SECRET_KEY}\n    SCHED_PATH: ${PATH}\n    SCHED_HOST: ${ORBIT_HOST}\n',
    );
  fs.writeFileSync(yml, text);
  fs.appendFileSync(
    path.join(root, '.env'),
    `TAP_ORBIT_API_KEY='${ORBIT_SECRET}'\nORBIT_HOST=orbit.example.com\nTAP_ORBIT_HOST_COPY=\${TAP_ORBIT_API_KEY}\n`,
  );
}

function expectNoSecret(what: string, text: string): void {
  for (const secret of SECRETS) expect(text.includes(secret), `${what} holds ${secret}`).toBe(false);
}

describe.each(DIALECTS)(
  '${VAR} references are shown as written, never expanded from secrets (%s)',
  (dialect) => {
    let app: TestApp;
    const logLines: string[] = [];
    const cookies: Record<'viewer' | 'admin', string> = { viewer: '', admin: '' };

    beforeAll(async () => {
      app = await startTestApp(dialect, {
        env: { MELTANO_UI_AUTHENTICATION: 'true', PATH: PROCESS_PATH },
        logLines,
      });
      addReferences(app.root);
      const auth = createAuthService({
        db: app.core.db,
        passwordSalt: TEST_SECRETS.MELTANO_UI_PASSWORD_SALT,
      });
      for (const who of ['viewer', 'admin'] as const) {
        await auth.users.create({ username: `refs-${who}`, password: 'refs-password', roles: [who] });
        const res = await app.server.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { username: `refs-${who}`, password: 'refs-password' },
        });
        const cookie = res.cookies.find((c) => c.name === 'meltano_ui_session');
        cookies[who] = `${cookie?.name}=${cookie?.value}`;
      }
    });
    afterAll(async () => {
      await app.cleanup();
    });

    const get = async (url: string, who: 'viewer' | 'admin' = 'viewer') => {
      const res = await app.server.inject({ method: 'GET', url, headers: { cookie: cookies[who] } });
      expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
      expectNoSecret(url, res.body);
      return res.json();
    };

    it('plugin settings: the raw text, whether each variable is set, and no expansion of a secret', async () => {
      for (const query of ['', '?environment=dev']) {
        const body = await get(`/api/v1/plugins/extractors/tap-orbit/settings${query}`);
        const byName = Object.fromEntries(body.settings.map((s: { name: string }) => [s.name, s]));
        expect(byName.copy_key).toMatchObject({
          value: '${TAP_ORBIT_API_KEY}',
          is_set: true,
          expanded: true,
          expanded_value: null,
          expansion_hidden: true,
          references: [{ name: 'TAP_ORBIT_API_KEY', is_set: true, source: 'dotenv', secret: true }],
        });
        expect(byName.copy_ui).toMatchObject({
          value: '${MELTANO_UI_SECRET_KEY}',
          expansion_hidden: true,
          references: [{ name: 'MELTANO_UI_SECRET_KEY', is_set: true, source: 'process_env', secret: true }],
        });
        expect(byName.copy_path).toMatchObject({
          value: '${PATH}',
          expansion_hidden: true,
          references: [{ name: 'PATH', is_set: true, source: 'process_env', secret: false }],
        });
        // Read from a .env line that interpolated the secret: that line's text, not its value.
        expect(byName.host_copy).toMatchObject({
          source: 'dotenv',
          value: '${TAP_ORBIT_API_KEY}',
          expansion_hidden: true,
        });
        // The project's own non-secret variable may be shown expanded.
        expect(byName.host).toMatchObject({
          value: 'https://${ORBIT_HOST}/v1',
          expanded_value: 'https://orbit.example.com/v1',
          references: [{ name: 'ORBIT_HOST', is_set: true, source: 'dotenv', secret: false }],
        });
      }
    });

    it('schedule env (list and single read) and job reads: as written, with is_set', async () => {
      const list = await get('/api/v1/schedules');
      const one = await get('/api/v1/schedules/daily-demo');
      for (const schedule of [list.schedules.find((s: { name: string }) => s.name === 'daily-demo'), one]) {
        expect(schedule.env).toEqual({
          SCHED_KEY: '${TAP_ORBIT_API_KEY}',
          SCHED_UI: '${MELTANO_UI_SECRET_KEY}',
          SCHED_PATH: '${PATH}',
          SCHED_HOST: '${ORBIT_HOST}',
        });
        expect(schedule.env_references).toEqual([
          { name: 'TAP_ORBIT_API_KEY', is_set: true, source: 'dotenv', secret: true },
          { name: 'MELTANO_UI_SECRET_KEY', is_set: true, source: 'process_env', secret: true },
          { name: 'PATH', is_set: true, source: 'process_env', secret: false },
          { name: 'ORBIT_HOST', is_set: true, source: 'dotenv', secret: false },
        ]);
      }
      await get('/api/v1/jobs');
      await get('/api/v1/jobs/demo-job');
    });

    it('environment env in the project view, and the plugin views', async () => {
      const project = await get('/api/v1/project');
      const dev = project.environments.find((e: { name: string }) => e.name === 'dev');
      expect(dev.env).toEqual({
        DEV_KEY: '${TAP_ORBIT_API_KEY}',
        DEV_UI: '${MELTANO_UI_SECRET_KEY}',
        DEV_PATH: '${PATH}',
      });
      expect(dev.env_references.map((r: { name: string; is_set: boolean }) => [r.name, r.is_set])).toEqual([
        ['TAP_ORBIT_API_KEY', true],
        ['MELTANO_UI_SECRET_KEY', true],
        ['PATH', true],
      ]);
      const plugin = await get('/api/v1/plugins/extractors/tap-orbit');
      expect(plugin.config.copy_key).toBe('${TAP_ORBIT_API_KEY}');
      await get('/api/v1/plugins');
    });

    it('a PUT of a ${VAR} answers with the raw text and no expansion', async () => {
      for (const value of REFERENCES) {
        const res = await app.server.inject({
          method: 'PUT',
          url: '/api/v1/plugins/extractors/tap-orbit/settings/workspace',
          headers: { cookie: cookies.admin },
          payload: { value },
        });
        expect(res.statusCode, res.body).toBe(200);
        expectNoSecret(`PUT ${value}`, res.body);
        expect(res.json().resolved).toMatchObject({ value, expansion_hidden: true, expanded_value: null });
      }
      // And the viewer's next read of it.
      const body = await get('/api/v1/plugins/extractors/tap-orbit/settings');
      expect(body.settings.find((s: { name: string }) => s.name === 'workspace').value).toBe('${PATH}');
    });

    it('a secret written into a .env others can read makes it 0600, in the response and a warn log line', async () => {
      const dotenv = path.join(app.root, '.env');
      fs.chmodSync(dotenv, 0o644);
      const res = await app.server.inject({
        method: 'PUT',
        url: '/api/v1/plugins/extractors/tap-orbit/settings/api_key',
        headers: { cookie: cookies.admin },
        payload: { value: 'orbit-secret-value-4242-new' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(fs.statSync(dotenv).mode & 0o777).toBe(0o600);
      const notice =
        '.env was readable by other users (mode 0644); it now holds a secret, so its mode was changed to 0600';
      expect(res.json()).toMatchObject({ store: 'dotenv', notices: [notice] });
      expectNoSecret('PUT api_key', res.body);
      const warned = logLines.map((l) => JSON.parse(l)).filter((l) => l.event === 'dotenv_mode_tightened');
      expect(warned).toMatchObject([{ level: 40, msg: notice }]);
      // Already 0600: nothing more to say.
      const again = await app.server.inject({
        method: 'PUT',
        url: '/api/v1/plugins/extractors/tap-orbit/settings/api_key',
        headers: { cookie: cookies.admin },
        payload: { value: 'orbit-secret-value-4242-newer' },
      });
      expect(again.json().notices).toEqual([]);
    });

    it('no log line the server wrote holds a value', () => {
      expect(logLines.length).toBeGreaterThan(0);
      expectNoSecret('server log', logLines.join('\n'));
    });
  },
);
