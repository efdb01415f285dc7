import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProject } from '../../src/project/load-project.js';
import { realMeltano } from './fixture-paths.js';

/** Projects written by the real Meltano CLI (v2.20.0, v3.9.5, v4.2.2) with the fake tap-demo/target-demo. */
describe.each(['v2.20.0', 'v3.9.5', 'v4.2.2'])('real Meltano %s project', (version) => {
  const root = realMeltano(version);
  const meltanoYml = join(root, 'meltano.yml');
  const lockFile = join(root, 'plugins', 'extractors', 'tap-demo.lock');

  it('loads plugins with their inheritance and lock file definitions', async () => {
    const project = await loadProject(root);
    expect(project.plugins.map((p) => `${p.type}/${p.name}`)).toEqual([
      'extractors/tap-demo',
      'extractors/tap-demo-fail',
      'extractors/tap-demo-slow',
      'loaders/target-demo',
    ]);
    const [tapDemo, tapDemoFail, tapDemoSlow, targetDemo] = project.plugins;

    expect(tapDemo).toMatchObject({
      namespace: 'tap_demo',
      parent: null,
      executable: '/tmp/rm/scripts/tap-demo',
      capabilities: ['discover', 'catalog', 'state'],
      lock_file: lockFile,
      config: { mode: 'ok' },
      source_file: meltanoYml,
    });

    expect(tapDemoFail).toMatchObject({
      inherit_from: 'tap-demo',
      parent: 'tap-demo',
      executable: '/tmp/rm/scripts/tap-demo',
      capabilities: ['discover', 'catalog', 'state'],
      lock_file: lockFile,
      config: { mode: 'fail' },
      resolved_config: { mode: 'fail' },
    });
    // Meltano derives an inheriting plugin's namespace from its own name: outputs/config-db-store.txt shows
    // tap-demo-fail reading TAP_DEMO_FAIL_API_KEY and ignoring TAP_DEMO_API_KEY from .env.
    expect(tapDemoFail?.namespace).toBe('tap_demo_fail');
    expect(tapDemoFail?.settings.map((s) => s.name)).toEqual(['mode', 'sleep_seconds', 'api_key']);
    const apiKey = tapDemoFail?.settings.find((s) => s.name === 'api_key');
    expect(apiKey?.sensitive).toBe(true);
    expect(apiKey?.kind).toBe(version === 'v2.20.0' ? 'password' : 'string');
    expect(tapDemoFail?.settings.find((s) => s.name === 'sleep_seconds')).toMatchObject({
      kind: 'integer',
      sensitive: false,
    });

    expect(tapDemoSlow?.resolved_config).toEqual({ mode: 'ok', sleep_seconds: 20 });
    expect(targetDemo).toMatchObject({
      namespace: 'target_demo',
      lock_file: null,
      config: { output_dir: 'output' },
    });
    expect(targetDemo?.settings.map((s) => s.name)).toEqual(['output_dir']);
  });

  it('loads schedules of both shapes, jobs and environments', async () => {
    const project = await loadProject(root);
    expect(project.schedules.map((s) => [s.name, s.kind, s.interval])).toEqual([
      ['daily-demo', 'elt', '@daily'],
      ['failing-demo', 'elt', '@hourly'],
      ['demo-job-schedule', 'job', '@weekly'],
      ['cron-demo', 'elt', '*/15 * * * *'],
    ]);
    expect(project.schedules[1]).toMatchObject({
      extractor: 'tap-demo-fail',
      loader: 'target-demo',
      transform: 'skip',
    });
    expect(project.schedules[2]).toMatchObject({ job: 'demo-job', env: {}, start_date: null });

    const startDates = {
      'v2.20.0': ['2026-11-21T04:32:02.276813Z', '2024-01-01T00:00:00Z'],
      'v3.9.5': ['2026-11-21T04:36:07Z', '2026-11-21T04:36:09Z'],
      'v4.2.2': [null, null], // v4 dropped start_date
    }[version];
    expect(project.schedules.slice(0, 2).map((s) => s.start_date)).toEqual(startDates);

    expect(project.jobs).toEqual([
      { name: 'demo-job', tasks: [['tap-demo', 'target-demo']], source_file: meltanoYml },
      {
        name: 'multi-job',
        tasks: [
          ['tap-demo', 'target-demo'],
          ['tap-demo-fail', 'target-demo'],
        ],
        source_file: meltanoYml,
      },
    ]);

    expect(project.default_environment).toBe('dev');
    expect(project.environments.map((e) => e.name)).toEqual(['dev', 'staging', 'prod']);
    expect(project.environments[0]).toEqual({
      name: 'dev',
      env: {},
      plugins: [],
      state_id_suffix: null,
      source_file: meltanoYml,
    });
    expect(project.environments[2]?.plugins).toEqual([
      { type: 'extractors', name: 'tap-demo', config: { mode: 'ok-prod' }, env: {}, extras: {} },
    ]);
  });

  it('reads .env and the project-level settings', async () => {
    const project = await loadProject(root);
    expect(project.dotenv.TAP_DEMO_API_KEY).toBe('sk-demo-123');
    expect(project.settings).toMatchObject({ default_environment: 'dev', send_anonymous_usage_stats: false });
    expect(project.settings.project_id).toBe(project.project_id);
    expect(project.project_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(project.env).toEqual({});
    expect(project.files).toEqual([meltanoYml]);
  });
});
