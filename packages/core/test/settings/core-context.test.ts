import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCoreContext } from '../../src/core-context.js';

let root: string;
const write = (file: string, text: string) => fs.writeFileSync(path.join(root, file), text);
const open = (env: NodeJS.ProcessEnv = {}, extra: Parameters<typeof openCoreContext>[0] = {}) =>
  openCoreContext({ projectRoot: root, env, homeDir: root, ...extra });

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'core-context-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

describe('UI settings resolve in Meltano order: CLI > env > .env > meltano.yml > default', () => {
  it('uses the defaults of the old UI', async () => {
    write('meltano.yml', 'default_environment: dev\n');
    const core = await open();
    expect([core.bindHost, core.bindPort]).toEqual(['0.0.0.0', 5000]);
    expect(core.settings['ui.bind_port']).toMatchObject({
      source: 'default',
      env_var: 'MELTANO_UI_BIND_PORT',
    });
    expect(core.db.display).toBe(`sqlite:///${path.join(root, '.meltano', 'meltano.db')}`);
    await core.close();
  });

  it('takes each layer in turn', async () => {
    write('meltano.yml', 'ui:\n  bind_port: 5001\n  bind_host: 10.0.0.1\nui.readonly: true\n');
    let core = await open();
    expect([core.bindHost, core.bindPort, core.readonly]).toEqual(['10.0.0.1', 5001, true]);
    expect(core.settings['ui.bind_port'].source).toBe('meltano_yml');
    await core.close();

    write('.env', "MELTANO_UI_BIND_PORT='5002'\nMELTANO_UI_READONLY=false\n");
    core = await open();
    expect([core.bindPort, core.readonly]).toEqual([5002, false]);
    expect(core.settings['ui.bind_port'].source).toBe('dotenv');
    await core.close();

    core = await open({ MELTANO_UI_BIND_PORT: '5003', MELTANO_UI_BIND_HOST: '127.0.0.1' });
    expect([core.bindHost, core.bindPort]).toEqual(['127.0.0.1', 5003]);
    expect(core.settings['ui.bind_port'].source).toBe('env');
    await core.close();

    core = await open({ MELTANO_UI_BIND_PORT: '5003' }, { bindPort: 5004, bindHost: '::1' });
    expect([core.bindHost, core.bindPort]).toEqual(['::1', 5004]);
    expect(core.settings['ui.bind_port'].source).toBe('cli');
    await core.close();
  });

  it('expands $MELTANO_PROJECT_ROOT in database_uri and masks PostgreSQL passwords', async () => {
    write('meltano.yml', 'database_uri: sqlite:///$MELTANO_PROJECT_ROOT/system.db\n');
    let core = await open();
    expect(core.db.display).toBe(`sqlite:///${path.join(root, 'system.db')}`);
    await core.close();
    core = await open({ MELTANO_DATABASE_URI: 'postgresql://meltano:s3cret@db.example:5432/meltano' });
    expect(core.db.kind).toBe('postgres');
    expect(core.db.display).not.toContain('s3cret');
    await core.close();
  });

  it('refuses a setting of the wrong kind with a message naming it', async () => {
    write('meltano.yml', '{}\n');
    await expect(open({ MELTANO_UI_BIND_PORT: 'five thousand' })).rejects.toThrow(
      /ui.bind_port .*MELTANO_UI_BIND_PORT/,
    );
  });

  it('keeps starting when meltano.yml is broken, with settings from the other layers', async () => {
    write('meltano.yml', 'default_environment: [\n');
    const core = await open({ MELTANO_UI_BIND_PORT: '5009' });
    expect(core.bindPort).toBe(5009);
    expect((await core.projectStore.get()).ok).toBe(false);
    await core.close();
  });

  it('picks the active environment like `meltano run`: MELTANO_ENVIRONMENT, else .env, else default_environment', async () => {
    const yml = 'default_environment: dev\nenvironments: [{name: dev}, {name: staging}, {name: prod}]\n';
    write('meltano.yml', yml);
    const loaded = async (core: Awaited<ReturnType<typeof open>>) => {
      const snapshot = await core.projectStore.get({ fresh: true });
      if (!snapshot.ok) throw snapshot.error;
      return snapshot.project;
    };
    let core = await open();
    expect(await core.activeEnvironment(await loaded(core))).toBe('dev');
    await core.close();
    write('.env', 'MELTANO_ENVIRONMENT=staging\n');
    core = await open();
    expect(await core.activeEnvironment(await loaded(core))).toBe('staging');
    expect(
      (await core.workspaceEnvironment.resolve({ default_environment: 'dev', names: null })).source,
    ).toBe('dotenv');
    await core.close();
    core = await open({ MELTANO_ENVIRONMENT: 'prod' });
    expect(await core.activeEnvironment(await loaded(core))).toBe('prod');
    await core.close();
  });
});
