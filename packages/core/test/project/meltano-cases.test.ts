import { join } from 'node:path';
import { expect, it } from 'vitest';
import { expandEnvVars } from '../../src/project/env-expand.js';
import { loadProject } from '../../src/project/load-project.js';
import { describeReal, realProject } from './fixture-paths.js';

describeReal('Meltano-specific project shapes', () => {
  it('multifile_project: include globs with [0-9] and **, timestamps, folded task strings', async () => {
    const root = realProject('meltano__meltano', 'tests/fixtures/multifile_project');
    const project = await loadProject(root);
    // `./*/subconfig_[0-9].yml` and `./*/**/subconfig_[0-9].yml` both match subfolder/subconfig_1.yml: once.
    expect(project.files).toEqual([
      join(root, 'meltano.yml'),
      join(root, 'subconfig_2.yml'),
      join(root, 'subfolder/subconfig_1.yml'),
    ]);
    expect(project.schedules.map((s) => [s.name, s.start_date, s.source_file])).toEqual([
      ['test-meltano-yml', '2020-08-05T00:00:00Z', join(root, 'meltano.yml')],
      ['test-subconfig-2-yml', '2020-08-04T00:00:00Z', join(root, 'subconfig_2.yml')],
      ['test-subconfig-1-yml', '2020-08-06T00:00:00Z', join(root, 'subfolder/subconfig_1.yml')],
    ]);
    expect(project.jobs[0]?.tasks).toEqual([['tap-meltano-yml', 'map-meltano-yml', 'target-meltano-yml']]);
    expect(project.environments.map((e) => [e.name, e.env.TEST])).toEqual([
      ['test-meltano-environment', 'TEST-MELTANO'],
      ['test-subconfig-2-yml', 'TEST-SUBCONFIG-2-YML'],
      ['test-subconfig-1-yml', 'TEST-SUBCONFIG-1-YML'],
    ]);
    const tap = project.plugins.find((p) => p.name === 'tap-meltano-yml');
    expect(tap?.settings).toEqual([
      expect.objectContaining({
        name: 'token',
        description: 'Token for the API. This is a secret.',
        sensitive: true,
      }),
    ]);
    const mapper = project.plugins.find((p) => p.type === 'mappers');
    expect(mapper?.extras.mappings).toEqual([{ name: 'transform-meltano-yml' }]);
    expect(project.plugins.find((p) => p.name === 'target-subconfig-1-yml')?.source_file).toBe(
      join(root, 'subfolder/subconfig_1.yml'),
    );
    expect(project.settings).toEqual({
      default_environment: 'test-meltano-environment',
      database_uri: 'sqlite:///.meltano/meltano.db',
    });
  });

  it('large_config_project: 153 ELT schedules from the included schedule.yml', async () => {
    const root = realProject('meltano__meltano', 'tests/fixtures/large_config_project');
    const project = await loadProject(root);
    expect(project.schedules).toHaveLength(153);
    expect(new Set(project.schedules.map((s) => s.source_file))).toEqual(
      new Set([join(root, 'schedule.yml')]),
    );
    expect(new Set(project.schedules.map((s) => s.name)).size).toBe(153);
    expect(
      project.schedules.every((s) => s.kind === 'elt' && /^\d{4}-\d{2}-\d{2}/.test(s.start_date ?? '')),
    ).toBe(true);
  });

  it('MTES: a lower-case `$default` in select rules is not an env reference', async () => {
    const project = await loadProject(realProject('MTES-MCT__trackdechets-meltano-workspace'));
    const select = project.plugins.find((p) => p.extras.select)?.extras.select as string[];
    expect(select).toContain('default$default-User.*');
    expect(select).toContain('!default$default-User.password*');
    const env = { default: 'NOPE', DEFAULT: 'NOPE' };
    expect(select.map((rule) => expandEnvVars(rule, env))).toEqual(select);
    const children = project.plugins.filter((p) => p.parent !== null);
    expect(children).toHaveLength(9);
    expect(project.plugins.find((p) => p.name === 'tap-postgres--td-database')).toMatchObject({
      parent: 'tap-postgres',
      variant: 'meltanolabs',
      pip_url: 'meltanolabs-tap-postgres==0.0.8',
      namespace: 'tap_postgres__td_database',
      config: { dates_as_string: true },
    });
  });

  it('nba-monte-carlo: CRLF line endings leave no carriage returns in values', async () => {
    const project = await loadProject(realProject('Barsik-sus__nba-monte-carlo'));
    expect(JSON.stringify(project)).not.toContain('\\r');
    expect(project.default_environment).toBe('dev');
    expect(project.environments.find((e) => e.name === 'docker')?.env).toEqual({
      MELTANO_PROJECT_ROOT: '/workspaces/nba-monte-carlo',
      TMP_PATH: '/workspaces/nba-monte-carlo/tmp',
    });
    expect(project.schedules[0]).toMatchObject({
      name: 'spreadsheets-anywhere-to-duckdb',
      interval: '@once',
      loader: 'target-duckdb',
      start_date: '2022-10-01T18:08:45.303947Z',
    });
  });

  it('robmoore (2019): config null, float version, ELT schedule with env and transform run', async () => {
    const project = await loadProject(realProject('robmoore__meltano-postgres-example'));
    const dbt = project.plugins.find((p) => p.type === 'transformers');
    expect(dbt).toMatchObject({ name: 'dbt', config: {}, resolved_config: {} });
    expect(project.settings.version).toBe(1);
    expect(project.settings.send_anonymous_usage_stats).toBe(true);
    expect(project.schedules).toEqual([
      {
        kind: 'elt',
        name: 'adventureworks',
        extractor: 'tap-postgres',
        loader: 'target-postgres',
        transform: 'run',
        interval: '@hourly',
        env: { MELTANO_JOB_ID: 'job_adventureworks' },
        start_date: null,
        orchestrated: true,
        source_file: join(realProject('robmoore__meltano-postgres-example'), 'meltano.yml'),
      },
    ]);
    const airflow = project.plugins.find((p) => p.name === 'airflow');
    expect(airflow?.config.core).toMatchObject({ load_examples: 'False' });
  });

  it('Matatika: v1 models and dashboards plugin types, @once schedule with a timestamp', async () => {
    const project = await loadProject(
      realProject('Matatika__matatika-examples', 'converting_meltano_reports/example_meltano_project'),
    );
    expect(project.plugins.filter((p) => p.type === 'models').map((p) => p.name)).toEqual([
      'model-google-analytics',
    ]);
    expect(project.plugins.filter((p) => p.type === 'dashboards').map((p) => p.variant)).toEqual(['meltano']);
    expect(project.schedules[0]).toMatchObject({
      interval: '@once',
      transform: 'run',
      start_date: '2020-05-01T00:00:00Z',
    });
  });

  it('homelab: every plugin comes from an included file', async () => {
    const root = realProject('stkbailey__homelab', 'meltano');
    const project = await loadProject(root);
    expect(project.plugins.map((p) => [p.type, p.name, p.source_file])).toEqual([
      ['extractors', 'tap-gitlab', join(root, 'extract/tap-gitlab.yml')],
      ['loaders', 'target-jsonl', join(root, 'load/target-jsonl.yml')],
    ]);
  });

  it('flow collections indented less than their key load as PyYAML reads them', async () => {
    const project = await loadProject(realProject('mattarderne__meltano-on-aws-batch', 'meltano'));
    expect(project.plugins[0]?.config).toEqual({
      streams: [{ stream_name: 'animals', input_filename: 'animals.jsonl' }],
    });
  });

  it('VIEVE: a start_date config value parsed as a date stays a date string', async () => {
    const project = await loadProject(realProject('MatatikaBytes__VIEVE-yvoxmrf'));
    const dates = project.plugins
      .map((p) => p.config.start_date)
      .filter((value): value is string => typeof value === 'string');
    expect(dates.length).toBeGreaterThan(0);
    expect(dates.every((d) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z)?$/.test(d))).toBe(true);
  });
});
