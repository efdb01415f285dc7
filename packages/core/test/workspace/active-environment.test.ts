import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uiTables } from '../../src/ui-db/migrate-ui-tables.js';
import { createActiveEnvironment } from '../../src/workspace/active-environment.js';
import { createWorkspaceSettingsRepository } from '../../src/workspace/workspace-settings.repository.js';
import { type AuthBackends, prepareAuthBackends } from '../auth/auth-backends.js';
import { DIALECTS } from '../support/backends.js';

let backends: AuthBackends;
beforeAll(async () => {
  backends = await prepareAuthBackends();
});
afterAll(() => backends.cleanup());

const project = { default_environment: 'dev', names: ['dev', 'staging', 'prod'] };

describe.each(DIALECTS)('active environment on %s', (dialect) => {
  it('starts at default_environment, follows a switch, and another replica sees it once its cache ends', async () => {
    const db = await backends.open(dialect, 'v3.9.5');
    let t = 1_000_000;
    const now = () => t;
    const here = createActiveEnvironment({
      repo: createWorkspaceSettingsRepository(uiTables(db), () => new Date(t)),
      processEnv: {},
      dotenv: {},
      now,
    });
    const replica = createActiveEnvironment({
      repo: createWorkspaceSettingsRepository(uiTables(backends.reopen(db))),
      processEnv: {},
      dotenv: {},
      now,
    });
    expect(await here.resolve(project)).toEqual({
      environment: 'dev',
      source: 'default_environment',
      locked_reason: null,
      updated_at: null,
      updated_by: null,
      ignored_choice: null,
    });
    expect(await replica.name(project)).toBe('dev');

    const switched = await here.set(project, 'prod', 'alice');
    expect(switched).toMatchObject({ environment: 'prod', source: 'ui', updated_by: 'alice' });
    expect(switched.updated_at).toBe(new Date(t).toISOString());
    // The replica read 'dev' just now: it may show it for up to a second, not longer.
    expect(await replica.name(project)).toBe('dev');
    t += 1000;
    expect(await replica.name(project)).toBe('prod');

    // "No environment" is a choice of its own, not "back to the default".
    await here.set(project, null, 'alice');
    expect(await here.resolve(project)).toMatchObject({ environment: null, source: 'ui' });
    t += 1000;
    expect(await replica.name(project)).toBeNull();
  });

  it('refuses an unknown environment, and ignores a stored one the project no longer has', async () => {
    const db = await backends.open(dialect, 'v3.9.5');
    const active = createActiveEnvironment({
      repo: createWorkspaceSettingsRepository(uiTables(db)),
      processEnv: {},
      dotenv: {},
    });
    await expect(active.set(project, 'qa', null)).rejects.toMatchObject({
      code: 'environment_not_found',
      status: 404,
    });
    await active.set(project, 'staging', null);
    // Renamed in Git: the choice is kept (it may come back) but not used.
    const renamed = { default_environment: 'dev', names: ['dev', 'stage', 'prod'] };
    expect(await active.resolve(renamed)).toMatchObject({
      environment: 'dev',
      source: 'default_environment',
      ignored_choice: 'staging',
    });
    // Renamed here: the choice follows.
    await active.renamed('staging', 'stage');
    expect(await active.resolve(renamed)).toMatchObject({ environment: 'stage', source: 'ui' });
  });

  it('is locked by MELTANO_ENVIRONMENT in the process environment, whatever is stored', async () => {
    const db = await backends.open(dialect, 'v3.9.5');
    const repo = createWorkspaceSettingsRepository(uiTables(db));
    await createActiveEnvironment({ repo, processEnv: {}, dotenv: {} }).set(project, 'staging', null);
    const locked = createActiveEnvironment({ repo, processEnv: { MELTANO_ENVIRONMENT: 'prod' }, dotenv: {} });
    const resolved = await locked.resolve(project);
    expect(resolved).toMatchObject({ environment: 'prod', source: 'process_env' });
    expect(resolved.locked_reason).toContain("MELTANO_ENVIRONMENT is set to 'prod'");
    await expect(locked.set(project, 'dev', null)).rejects.toMatchObject({
      code: 'active_environment_locked',
      status: 423,
    });
    // `.env` is the project's own default: a choice made here wins over it.
    const dotenv = createActiveEnvironment({ repo, processEnv: {}, dotenv: {} });
    expect(await dotenv.resolve({ ...project, dotenv_environment: 'prod' })).toMatchObject({
      environment: 'staging',
      source: 'ui',
    });
    await repo.remove('active_environment');
    const fresh = createActiveEnvironment({ repo, processEnv: {}, dotenv: {} });
    expect(await fresh.resolve({ ...project, dotenv_environment: 'prod' })).toMatchObject({
      environment: 'prod',
      source: 'dotenv',
    });
  });
});

describe('active environment while the system database is down', () => {
  it('keeps the last choice read; before any, the header shows the other layers and says why', async () => {
    let down = false;
    let stored: unknown = 'prod';
    const repo = {
      async get() {
        if (down) throw new Error('connection refused');
        return { value: stored, updated_at: '2026-12-01T00:00:00.000Z', updated_by: 'alice' };
      },
      async set(_key: string, value: unknown) {
        stored = value;
      },
      async remove() {},
    };
    let t = 0;
    const active = createActiveEnvironment({ repo, processEnv: {}, dotenv: {}, now: () => t });
    expect(await active.name(project)).toBe('prod');
    down = true;
    t += 5000;
    expect(await active.name(project)).toBe('prod');

    const cold = createActiveEnvironment({ repo, processEnv: {}, dotenv: {} });
    await expect(cold.name(project)).rejects.toThrow('connection refused');
    expect(await cold.resolveForDisplay(project)).toMatchObject({
      environment: 'dev',
      source: 'default_environment',
      unavailable: 'The choice made here cannot be read: connection refused',
    });
  });
});
