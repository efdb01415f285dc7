import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKSPACE_TAP_AUTH0 } from '../../../../test-fixtures/fixture-locations.mjs';
import type { SystemDatabase } from '../../src/db/system-database.js';
import {
  pipelineDefaultEnvironment,
  pipelineEnvironmentView,
} from '../../src/pipelines/pipeline-environment.js';
import { loadProject } from '../../src/project/load-project.js';
import { withTempCopy } from '../project/fixture-paths.js';
import { DIALECTS, type FixtureBackends, prepareFixtureBackends } from '../support/backends.js';

let backends: FixtureBackends;
beforeAll(async () => {
  backends = await prepareFixtureBackends();
}, 60_000);
afterAll(() => backends.cleanup());

const now = () => new Date('2026-12-01T00:00:00Z');

/** client_id and domain of tap-auth0 as the tab shows them: value and source layer. */
async function auth0Table(
  db: SystemDatabase,
  pipeline: { kind: 'schedule' | 'job'; name: string },
  env: string,
) {
  const project = await loadProject(WORKSPACE_TAP_AUTH0);
  const view = await pipelineEnvironmentView(project, pipeline, { db, environment: env, processEnv: {} });
  const tap = view.plugins.find((p) => p.name === 'tap-auth0');
  const pick = (name: string) => {
    const s = tap?.settings.find((x) => x.name === name);
    return { value: s?.value, source: s?.source, redacted: s?.redacted };
  };
  return {
    plugins: view.plugins.map((p) => `${p.type}/${p.name}`),
    client_id: pick('client_id'),
    domain: pick('domain'),
  };
}

describe.each(DIALECTS)('pipeline Environment tab on %s', (dialect) => {
  it("shows the workspace guide's tap-auth0 table for each environment, for the job and its schedule", async () => {
    const db = backends.open(dialect, 'v3.9.5', now);
    for (const pipeline of [
      { kind: 'job', name: 'auth0-to-jsonl' },
      { kind: 'schedule', name: 'auth0-daily' },
      { kind: 'schedule', name: 'auth0-elt' },
    ] as const) {
      expect(await auth0Table(db, pipeline, 'dev')).toEqual({
        plugins: ['extractors/tap-auth0', 'loaders/target-jsonl'],
        client_id: {
          value: '39Pu9tTomnTv594VAFYnmRvkEpSlI7a6',
          source: 'meltano_environment',
          redacted: false,
        },
        domain: { value: 'matatika-staging.eu.auth0.com', source: 'meltano_yml', redacted: false },
      });
      expect(await auth0Table(db, pipeline, 'staging')).toMatchObject({
        client_id: { value: '4Zd5QXqHKNoKq4ySx8CP1UBm5eIUgh7t', source: 'meltano_environment' },
        domain: { value: 'matatika-staging.eu.auth0.com', source: 'meltano_yml' },
      });
      expect(await auth0Table(db, pipeline, 'prod')).toMatchObject({
        client_id: { value: 'u4kcVHKUD9lkbUbXA3eXCt88scStaqHM', source: 'meltano_environment' },
        domain: { value: 'matatika.eu.auth0.com', source: 'meltano_environment' },
      });
    }
  });
});

describe('pipeline Environment tab: layers, secrets and task blocks', () => {
  it('counts the schedule env as the process environment, redacts secrets, and follows mappers and commands', async () => {
    const db = backends.open('sqlite', 'v3.9.5', now);
    await withTempCopy(WORKSPACE_TAP_AUTH0, async (root) => {
      const yml = fs
        .readFileSync(path.join(root, 'meltano.yml'), 'utf8')
        .replace(
          '  - name: tap-auth0\n    config:\n      domain: matatika-staging.eu.auth0.com\n',
          '  - name: tap-auth0\n    settings:\n    - name: client_secret\n      kind: password\n    config:\n      domain: matatika-staging.eu.auth0.com\n',
        )
        .replace(
          '  loaders:\n',
          '  mappers:\n  - name: meltano-map-transformer\n    mappings:\n    - name: hash-emails\n  utilities:\n  - name: dbt-postgres\n  loaders:\n',
        )
        .replace(
          '  - tap-auth0 target-jsonl\n',
          '  - tap-auth0 hash-emails target-jsonl dbt-postgres:run\n  - tap-missing target-jsonl\n',
        )
        .replace(
          "  interval: '@daily'\n  job: auth0-to-jsonl\n",
          "  interval: '@daily'\n  job: auth0-to-jsonl\n  env:\n    MELTANO_ENVIRONMENT: prod\n    TAP_AUTH0_DOMAIN: example.auth0.com\n",
        );
      fs.writeFileSync(path.join(root, 'meltano.yml'), yml);
      fs.writeFileSync(path.join(root, '.env'), 'TAP_AUTH0_CLIENT_SECRET=s3cret-value\n');
      const project = await loadProject(root);

      const job = await pipelineEnvironmentView(
        project,
        { kind: 'job', name: 'auth0-to-jsonl' },
        {
          db,
          environment: 'dev',
          processEnv: {},
        },
      );
      expect(job.plugins.map((p) => [p.type, p.name, p.blocks])).toEqual([
        ['extractors', 'tap-auth0', ['tap-auth0']],
        ['mappers', 'meltano-map-transformer', ['hash-emails']],
        ['loaders', 'target-jsonl', ['target-jsonl']],
        ['utilities', 'dbt-postgres', ['dbt-postgres:run']],
      ]);
      expect(job.unknown_blocks).toEqual(['tap-missing']);
      const secret = job.plugins[0]?.settings.find((s) => s.name === 'client_secret');
      expect(secret).toMatchObject({ value: '(redacted)', redacted: true, source: 'dotenv' });
      expect(JSON.stringify(job)).not.toContain('s3cret-value');

      // The schedule runs in prod (its own MELTANO_ENVIRONMENT), and its env sets the domain.
      expect(pipelineDefaultEnvironment(project, { kind: 'schedule', name: 'auth0-daily' }, 'dev')).toBe(
        'prod',
      );
      expect(pipelineDefaultEnvironment(project, { kind: 'schedule', name: 'auth0-elt' }, 'dev')).toBe('dev');
      const schedule = await pipelineEnvironmentView(
        project,
        { kind: 'schedule', name: 'auth0-daily' },
        {
          db,
          environment: 'prod',
          processEnv: {},
        },
      );
      expect(schedule.schedule_env_vars).toEqual(['TAP_AUTH0_DOMAIN']);
      const domain = schedule.plugins[0]?.settings.find((s) => s.name === 'domain');
      expect(domain).toMatchObject({
        value: 'example.auth0.com',
        source: 'env',
        env_var: 'TAP_AUTH0_DOMAIN',
      });
    });
  });

  it('says which pipeline it does not know', async () => {
    const db = backends.open('sqlite', 'v3.9.5', now);
    const project = await loadProject(WORKSPACE_TAP_AUTH0);
    const opts = { db, environment: null, processEnv: {} };
    await expect(pipelineEnvironmentView(project, { kind: 'job', name: 'nope' }, opts)).rejects.toMatchObject(
      {
        code: 'job_not_found',
      },
    );
    await expect(
      pipelineEnvironmentView(project, { kind: 'schedule', name: 'nope' }, opts),
    ).rejects.toMatchObject({
      code: 'schedule_not_found',
    });
  });
});
