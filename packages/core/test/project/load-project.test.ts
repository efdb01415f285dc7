// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${VAR}` here is env-var syntax under test, not a template.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project/load-project.js';
import type { Project } from '../../src/project/project.types.js';
import { withTempCopy } from './fixture-paths.js';

async function loadFiles(files: Record<string, string>): Promise<Project & { dir: string }> {
  return withTempCopy(null, async (root) => {
    for (const [name, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, name)), { recursive: true });
      await writeFile(join(root, name), text);
    }
    return { ...(await loadProject(root)), dir: root };
  });
}

const tapLock = JSON.stringify({
  plugin_type: 'extractors',
  name: 'tap-github',
  namespace: 'tap_github',
  variant: 'meltanolabs',
  label: 'GitHub',
  pip_url: 'meltanolabs-tap-github',
  capabilities: ['catalog', 'state'],
  settings: [
    { name: 'auth_token', kind: 'string', sensitive: true },
    { name: 'repositories', kind: 'array' },
    { name: 'client_secret', kind: 'oauth' },
  ],
});

describe('loadProject details', () => {
  it('reads lock files by name and variant; meltano.yml settings extend them by name', async () => {
    const project = await loadFiles({
      'plugins/extractors/tap-github--meltanolabs.lock': tapLock,
      'meltano.yml': [
        'plugins:',
        '  extractors:',
        '  - name: tap-github',
        '    variant: meltanolabs',
        '    settings:',
        '    - name: repositories',
        '      description: Which repos',
        '    - name: extra',
        '      kind: password',
        '  - name: tap-github--org',
        '    inherit_from: tap-github',
        '    config: {repositories: [a/b]}',
        '',
      ].join('\n'),
    });
    const [base, child] = project.plugins;
    expect(base?.lock_file).toBe(join(project.dir, 'plugins/extractors/tap-github--meltanolabs.lock'));
    expect(base).toMatchObject({
      namespace: 'tap_github',
      label: 'GitHub',
      pip_url: 'meltanolabs-tap-github',
    });
    expect(base?.capabilities).toEqual(['catalog', 'state']);
    expect(base?.settings.map((s) => [s.name, s.kind, s.sensitive, s.description])).toEqual([
      ['auth_token', 'string', true, null],
      ['client_secret', 'oauth', true, null],
      ['repositories', null, false, 'Which repos'],
      ['extra', 'password', true, null],
    ]);
    expect(child).toMatchObject({
      parent: 'tap-github',
      variant: 'meltanolabs',
      namespace: 'tap_github__org',
    });
    expect(child?.settings.map((s) => s.name)).toEqual([
      'auth_token',
      'client_secret',
      'repositories',
      'extra',
    ]);
  });

  it('takes the definition of a hub plugin named by inherit_from from its lock file', async () => {
    const project = await loadFiles({
      'plugins/extractors/tap-github--meltanolabs.lock': tapLock,
      'meltano.yml':
        'plugins:\n  extractors:\n  - name: tap-github--prod\n    inherit_from: tap-github\n    variant: meltanolabs\n',
    });
    expect(project.plugins[0]).toMatchObject({
      parent: null,
      inherit_from: 'tap-github',
      namespace: 'tap_github__prod',
      pip_url: 'meltanolabs-tap-github',
      lock_file: join(project.dir, 'plugins/extractors/tap-github--meltanolabs.lock'),
    });
    expect(project.plugins[0]?.settings.find((s) => s.name === 'auth_token')?.sensitive).toBe(true);
  });

  it('keeps unknown plugin types, extras and coerces env values like Meltano', async () => {
    const project = await loadFiles({
      'meltano.yml': [
        'env:',
        '  FLAG: true',
        '  PORT: 5432',
        '  EMPTY:',
        'plugins:',
        '  extractors:',
        '  loaders:',
        '  - name: target-x',
        '    select: ["a.*"]',
        '    python: python3.11',
        '    env: {DEBUG: false}',
        '  widgets:',
        '  - name: widget-1',
        '',
      ].join('\n'),
    });
    expect(project.env).toEqual({ FLAG: 'True', PORT: '5432' });
    expect(project.plugins.map((p) => [p.type, p.name])).toEqual([
      ['loaders', 'target-x'],
      ['widgets', 'widget-1'],
    ]);
    expect(project.plugins[0]).toMatchObject({
      extras: { select: ['a.*'], python: 'python3.11' },
      env: { DEBUG: 'False' },
      config: {},
      capabilities: [],
      settings: [],
      lock_file: null,
    });
  });

  it('flattens project-level settings from nested and dotted keys', async () => {
    const project = await loadFiles({
      'meltano.yml': [
        'cli:',
        '  log_level: debug',
        'state_backend.uri: gs://bucket/state',
        'state_backend:',
        '  gcs:',
        '    application_credentials: /creds.json',
        'ui: {bind_port: 5000}',
        'include_paths: []',
        'env: {A: b}',
        'project_id: abc',
        '',
      ].join('\n'),
    });
    expect(project.settings).toEqual({
      'cli.log_level': 'debug',
      'state_backend.uri': 'gs://bucket/state',
      'state_backend.gcs.application_credentials': '/creds.json',
      'ui.bind_port': 5000,
      project_id: 'abc',
    });
  });

  it('turns YAML timestamps into ISO text, keeping dates as dates and quoted values as written', async () => {
    const project = await loadFiles({
      'meltano.yml': [
        'plugins:',
        '  extractors:',
        '  - name: tap-a',
        '    config:',
        '      date: 2024-02-03',
        '      midnight: 2024-02-03 00:00:00',
        '      offset: 2024-02-03T10:15:30.5+05:30',
        '      spaced: 2024-2-3 1:02:03 -1',
        '      quoted: "2024-02-03"',
        '      not_a_date: 2024-02',
        '',
      ].join('\n'),
    });
    expect(project.plugins[0]?.config).toEqual({
      date: '2024-02-03',
      midnight: '2024-02-03T00:00:00Z',
      offset: '2024-02-03T04:45:30.5Z',
      spaced: '2024-02-03T02:02:03Z',
      quoted: '2024-02-03',
      not_a_date: '2024-02',
    });
  });

  it('resolves anchors, aliases and merge keys', async () => {
    const project = await loadFiles({
      'meltano.yml': [
        'x-common: &common',
        '  host: db',
        '  port: 5432',
        'plugins:',
        '  loaders:',
        '  - name: target-a',
        '    config:',
        '      <<: *common',
        '      port: 6543',
        '  - name: target-b',
        '    config: *common',
        '',
      ].join('\n'),
    });
    expect(project.plugins.map((p) => p.config)).toEqual([
      { host: 'db', port: 6543 },
      { host: 'db', port: 5432 },
    ]);
  });

  it('merges top-level keys of included files and normalises job task forms', async () => {
    const project = await loadFiles({
      'meltano.yml':
        "include_paths: ['more.yml']\nenv: {A: '1'}\njobs:\n- name: s\n  tasks: tap-a  target-b\n",
      'more.yml': [
        'env: {B: "2"}',
        'jobs:',
        '- name: nested',
        '  tasks:',
        '  - [tap-a, target-b]',
        '  - tap-c target-d dbt:run',
        '- name: empty',
        '',
      ].join('\n'),
    });
    expect(project.env).toEqual({ A: '1', B: '2' });
    expect(project.jobs.map((j) => [j.name, j.tasks])).toEqual([
      ['s', [['tap-a', 'target-b']]],
      [
        'nested',
        [
          ['tap-a', 'target-b'],
          ['tap-c', 'target-d', 'dbt:run'],
        ],
      ],
      ['empty', []],
    ]);
  });

  it('reads environments with overrides and state_id_suffix, and schedules with unknown keys', async () => {
    const project = await loadFiles({
      '.env': "export SECRET='x y'\n",
      'meltano.yml': [
        'environments:',
        '- name: prod',
        '  state_id_suffix: ${SUFFIX}',
        '  env: {X: y}',
        '  config:',
        '    plugins:',
        '      extractors:',
        '      - name: tap-a',
        '        config: {start_date: 2024-01-01}',
        '        select: ["x.*"]',
        'schedules:',
        '- name: s1',
        '  extractor: tap-a',
        '  loader: target-b',
        '  interval: "@daily"',
        '  annotations: {owner: me}',
        '  start_date: 2024-02-03',
        '- name: s2',
        '  job: ""',
        '  extractor: tap-a',
        '  loader: target-b',
        '  transform: bogus',
        '',
      ].join('\n'),
    });
    expect(project.dotenv).toEqual({ SECRET: 'x y' });
    expect(project.environments[0]).toMatchObject({
      state_id_suffix: '${SUFFIX}',
      env: { X: 'y' },
      plugins: [
        {
          type: 'extractors',
          name: 'tap-a',
          config: { start_date: '2024-01-01' },
          env: {},
          extras: { select: ['x.*'] },
        },
      ],
    });
    expect(project.schedules[0]).not.toHaveProperty('annotations');
    expect(project.schedules[0]).toMatchObject({ kind: 'elt', transform: 'skip', start_date: '2024-02-03' });
    expect(project.schedules[1]).toMatchObject({ kind: 'elt', transform: 'skip', interval: null });
  });
});
