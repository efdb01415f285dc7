// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` here is env-var syntax under test, not a template.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  describeEnvMap,
  projectEnvContext,
  resolvePluginSettings,
  resolveProjectSettings,
} from '../../src/plugin-settings/index.js';
import { loadProject } from '../../src/project/load-project.js';
import type { Project } from '../../src/project/project.types.js';

const SECRETS = ['orbit-secret-123', 'ui-secret-456', '/secret/bin', 'salt-789'];
const processEnv = { PATH: '/secret/bin', MELTANO_UI_PASSWORD_SALT: 'salt-789' };

const MELTANO_YML = `version: 1
environments:
- name: dev
  env:
    ENV_ALIAS: \${TAP_ORBIT_API_KEY}
    ENV_PLAIN: plain-\${PROJECT_HOST}
    TAP_ORBIT_FROM_ENV_LAYER: key-\${TAP_ORBIT_API_KEY}
cli:
  log_level: \${MELTANO_UI_PASSWORD_SALT}
plugins:
  extractors:
  - name: tap-orbit
    namespace: tap_orbit
    settings:
    - name: api_key
      sensitive: true
    - name: workspace
    - name: copy_key
    - name: copy_ui
    - name: copy_path
    - name: copy_salt
    - name: host
    - name: via_dotenv_secret
    - name: via_dotenv_path
    - name: via_env_alias
    - name: via_env_plain
    - name: unset
    - name: escaped
    - name: port
      kind: integer
    - name: nested
      kind: object
    - name: from_dotenv
    - name: from_dotenv_clean
    - name: from_env_layer
    config:
      api_key: \${WORKSPACE_ID}
      copy_key: \${TAP_ORBIT_API_KEY}
      copy_ui: \${MELTANO_UI_SECRET_KEY}
      copy_path: $PATH
      copy_salt: \${MELTANO_UI_PASSWORD_SALT}
      host: https://\${PROJECT_HOST}/v1
      via_dotenv_secret: \${HOST_ALIAS}
      via_dotenv_path: \${FROM_PATH}
      via_env_alias: \${ENV_ALIAS}
      via_env_plain: \${ENV_PLAIN}
      unset: \${NOT_DEFINED_ANYWHERE}
      escaped: \\$PROJECT_HOST
      port: \${PORT}
      nested:
        token: \${TAP_ORBIT_API_KEY}
        host: \${PROJECT_HOST}
`;

const DOTENV = `TAP_ORBIT_API_KEY='orbit-secret-123'
MELTANO_UI_SECRET_KEY='ui-secret-456'
PROJECT_HOST=api.example.com
PORT=5432
HOST_ALIAS=\${TAP_ORBIT_API_KEY}
FROM_PATH=\${PATH}
WORKSPACE_ID=ws-1
TAP_ORBIT_FROM_DOTENV="key-\${TAP_ORBIT_API_KEY}"
TAP_ORBIT_FROM_DOTENV_CLEAN=\${PROJECT_HOST}
`;

let root: string;
let project: Project;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'env-references-'));
  fs.writeFileSync(path.join(root, 'meltano.yml'), MELTANO_YML);
  fs.writeFileSync(path.join(root, '.env'), DOTENV);
  project = await loadProject(root);
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function settings(environment: string | null = null) {
  const plugin = project.plugins[0];
  if (!plugin) throw new Error('no plugin');
  return Object.fromEntries(
    resolvePluginSettings(project, plugin, { processEnv, environment }).map((s) => [s.name, s]),
  );
}

function expectNoSecret(value: unknown): void {
  const text = JSON.stringify(value);
  for (const secret of SECRETS) expect(text).not.toContain(secret);
}

describe('${VAR} references in settings: shown as written, expanded only from clean variables', () => {
  it('withholds the expansion of a secret setting’s variable, a UI secret and the process environment', () => {
    const s = settings();
    expectNoSecret(s);
    expect(s.copy_key).toMatchObject({
      value: '${TAP_ORBIT_API_KEY}',
      is_set: true,
      expanded: true,
      expanded_value: null,
      expansion_hidden: true,
      references: [{ name: 'TAP_ORBIT_API_KEY', is_set: true, source: 'dotenv', secret: true }],
    });
    expect(s.copy_ui).toMatchObject({
      value: '${MELTANO_UI_SECRET_KEY}',
      expansion_hidden: true,
      references: [{ name: 'MELTANO_UI_SECRET_KEY', is_set: true, source: 'dotenv', secret: true }],
    });
    expect(s.copy_path).toMatchObject({
      value: '$PATH',
      expansion_hidden: true,
      references: [{ name: 'PATH', is_set: true, source: 'process_env', secret: false }],
    });
    expect(s.copy_salt).toMatchObject({
      value: '${MELTANO_UI_PASSWORD_SALT}',
      expansion_hidden: true,
      references: [{ name: 'MELTANO_UI_PASSWORD_SALT', is_set: true, source: 'process_env', secret: true }],
    });
  });

  it('shows the expansion when every variable is the project’s own non-secret one', () => {
    const s = settings();
    expect(s.host).toMatchObject({
      value: 'https://${PROJECT_HOST}/v1',
      expanded_value: 'https://api.example.com/v1',
      expansion_hidden: false,
      references: [{ name: 'PROJECT_HOST', is_set: true, source: 'dotenv', secret: false }],
    });
    // Written as text, cast once expanded.
    expect(s.port).toMatchObject({ value: '${PORT}', expanded_value: 5432 });
    expect(s.escaped).toMatchObject({
      value: '\\$PROJECT_HOST',
      expanded_value: '$PROJECT_HOST',
      references: [],
    });
    expect(s.unset).toMatchObject({
      value: '${NOT_DEFINED_ANYWHERE}',
      is_set: false,
      expansion_hidden: false,
      references: [{ name: 'NOT_DEFINED_ANYWHERE', is_set: false, source: null, secret: false }],
    });
  });

  it('follows a .env variable to what it copied', () => {
    const s = settings();
    expect(s.via_dotenv_secret).toMatchObject({ value: '${HOST_ALIAS}', expansion_hidden: true });
    expect(s.via_dotenv_path).toMatchObject({ value: '${FROM_PATH}', expansion_hidden: true });
  });

  it('follows an environment’s env: to what it was expanded from', () => {
    const s = settings('dev');
    expectNoSecret(s);
    expect(s.via_env_alias).toMatchObject({
      value: '${ENV_ALIAS}',
      expansion_hidden: true,
      references: [{ name: 'ENV_ALIAS', is_set: true, source: 'meltano_yml', secret: false }],
    });
    // An environment's env: is expanded without .env (pluginSettingsEnv), so PROJECT_HOST reads nothing there.
    expect(s.via_env_plain).toMatchObject({ value: '${ENV_PLAIN}', expanded_value: 'plain-' });
  });

  it('shows a value read from an interpolated variable as that variable’s text', () => {
    const s = settings('dev');
    expectNoSecret(s);
    expect(s.from_dotenv).toMatchObject({
      source: 'dotenv',
      env_var: 'TAP_ORBIT_FROM_DOTENV',
      value: 'key-${TAP_ORBIT_API_KEY}',
      expanded_value: null,
      expansion_hidden: true,
      references: [{ name: 'TAP_ORBIT_API_KEY', is_set: true, source: 'dotenv', secret: true }],
    });
    expect(s.from_env_layer).toMatchObject({
      source: 'env',
      value: 'key-${TAP_ORBIT_API_KEY}',
      expansion_hidden: true,
    });
    expect(s.from_dotenv_clean).toMatchObject({
      value: '${PROJECT_HOST}',
      expanded_value: 'api.example.com',
      expansion_hidden: false,
    });
  });

  it('keeps a secret redacted and an object setting’s nested references as written', () => {
    const s = settings();
    expect(s.api_key).toMatchObject({ value: '(redacted)', expanded_value: null, expansion_hidden: false });
    expect(s.nested).toMatchObject({
      value: { token: '${TAP_ORBIT_API_KEY}', host: '${PROJECT_HOST}' },
      expansion_hidden: true,
    });
    expect(s['nested.host']).toMatchObject({ value: '${PROJECT_HOST}', expanded_value: 'api.example.com' });
  });

  it('applies to project settings and env: maps', () => {
    const [logLevel] = resolveProjectSettings(project, { processEnv }, ['cli.log_level']).filter(
      (s) => s.name === 'cli.log_level',
    );
    expectNoSecret(logLevel);
    expect(logLevel).toMatchObject({ value: '${MELTANO_UI_PASSWORD_SALT}', expansion_hidden: true });
    const refs = describeEnvMap(
      { A: '${TAP_ORBIT_API_KEY}', B: '$PATH', C: '${MISSING}' },
      projectEnvContext(project, processEnv),
    );
    expect(refs).toEqual([
      { name: 'TAP_ORBIT_API_KEY', is_set: true, source: 'dotenv', secret: true },
      { name: 'PATH', is_set: true, source: 'process_env', secret: false },
      { name: 'MISSING', is_set: false, source: null, secret: false },
    ]);
  });
});
