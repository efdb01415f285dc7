import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError } from '../../src/errors.js';
import { installCommand } from '../../src/executor/install-command.js';
import { PipelineLauncher } from '../../src/executor/pipeline-launcher.js';
import { type InstallView, PluginInstaller } from '../../src/executor/plugin-installer.js';
import { loadProject } from '../../src/project/load-project.js';
import { ProjectStore } from '../../src/project/project-store.js';
import { uiTables } from '../../src/ui-db/migrate-ui-tables.js';
import { DIALECTS, type FixtureBackends, prepareFixtureBackends } from '../support/backends.js';

// Installs run the Meltano-CLI stand-in (test-fixtures/meltano-standin), not the real Meltano.
const STANDIN = fileURLToPath(
  new URL('../../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url),
);

const MELTANO_YML = `default_environment: dev
plugins:
  extractors:
  - name: tap-github
    variant: meltanolabs
    pip_url: meltanolabs-tap-github
  - name: tap-local
    namespace: tap_local
  loaders:
  - name: target-jsonl
    variant: andyh1203
    pip_url: target-jsonl
`;

const v = (major: number, minor: number) => ({ major, minor, patch: 0, text: `${major}.${minor}.0` });

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the install command', () => {
  it('uses --plugin-type from Meltano 3.8 on, the positional type before and when the version is unknown', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'meltano-install-cmd-'));
    try {
      await writeFile(path.join(root, 'meltano.yml'), MELTANO_YML);
      const project = await loadProject(root);
      expect(installCommand(project, 'extractors', 'tap-github', v(3, 8)).args).toEqual([
        'install',
        '--plugin-type',
        'extractor',
        '--',
        'tap-github',
      ]);
      expect(installCommand(project, 'loaders', 'target-jsonl', v(4, 2)).args).toEqual([
        'install',
        '--plugin-type',
        'loader',
        '--',
        'target-jsonl',
      ]);
      expect(installCommand(project, 'loaders', 'target-jsonl', v(3, 7)).args).toEqual([
        'install',
        '--',
        'loader',
        'target-jsonl',
      ]);
      expect(installCommand(project, 'extractors', 'tap-github', null)).toMatchObject({
        kind: 'install',
        name: 'extractors/tap-github',
        args: ['install', '--', 'extractor', 'tap-github'],
        stateIds: [],
        lockKeys: ['meltano-ui:install:extractors:tap-github'],
      });
      expect(() => installCommand(project, 'loaders', 'tap-github', null)).toThrow(NotFoundError);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});

let backends: FixtureBackends;
beforeAll(async () => {
  backends = await prepareFixtureBackends();
});
afterAll(() => backends.cleanup());

describe.each(DIALECTS)('installing plugins through the launcher (%s)', (dialect) => {
  let root: string;
  let db: ReturnType<FixtureBackends['open']>;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'meltano-install-'));
    await writeFile(path.join(root, 'meltano.yml'), MELTANO_YML);
    db = backends.open(dialect, 'v4.2.2', () => new Date());
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const deps = (env: Record<string, string> = {}) => ({
    root,
    sysDir: path.join(root, '.meltano'),
    tables: uiTables(db),
    projectStore: new ProjectStore(root),
    executableSetting: STANDIN,
    env: { ...process.env, STANDIN_DELAY_MS: '20', ...env },
    databaseUriOverride: null,
    now: () => new Date(),
    earlyExitWaitMs: 0,
  });
  const installer = (env?: Record<string, string>) => new PluginInstaller(deps(env));
  const ended = (i: PluginInstaller, id: string) =>
    until(`install ${id} to end`, async () => {
      const view = await i.get(id);
      return view.status === 'running' ? null : view;
    });

  it('runs `meltano install` for one plugin and ends with success, its output readable by offset', async () => {
    const i = installer();
    const started = await i.start('extractors', 'tap-github');
    expect(started).toMatchObject({
      plugin_type: 'extractors',
      plugin_name: 'tap-github',
      argv: [STANDIN, 'install', '--plugin-type', 'extractor', '--', 'tap-github'],
      status: 'running',
    });
    const done = await ended(i, started.id);
    expect(done).toMatchObject({ status: 'success', exit_code: 0, error: null });
    expect(done.ended_at).not.toBeNull();

    const all = await i.output(started.id);
    expect(all).toMatchObject({ offset: 0, eof: true, status: 'success' });
    expect(all.text).toMatch(
      /\[info {5}\] Installing extractor 'tap-github'\n.*Installed extractor 'tap-github'\n$/s,
    );
    const rest = await i.output(started.id, all.offset + all.length);
    expect(rest).toMatchObject({ text: '', length: 0, eof: true });
  });

  it('streams the output of a running install, refuses a second one of the same plugin with 409', async () => {
    const i = installer({ STANDIN_MODE: 'hang' });
    const first = await i.start('loaders', 'target-jsonl');
    const early = await until('the first output', async () => {
      const chunk = await i.output(first.id);
      return chunk.text.includes('still installing') ? chunk : null;
    });
    expect(early.status).toBe('running');
    const later = await until('more output', async () => {
      const chunk = await i.output(first.id, early.offset + early.length);
      return chunk.length > 0 ? chunk : null;
    });
    expect(later.offset).toBe(early.offset + early.length);
    expect(later.text).toContain('(stand-in) pip is still installing target-jsonl');

    const again = await i.start('loaders', 'target-jsonl').catch((e: unknown) => e);
    expect(again).toMatchObject({
      status: 409,
      code: 'plugin_installing',
      details: { install_id: first.id },
    });
    const other = await installer().start('extractors', 'tap-github');
    expect((await ended(i, other.id)).status).toBe('success');

    // Not a pipeline launch: the pipeline side does not see it.
    const launcher = new PipelineLauncher({ ...deps(), db, activeEnvironment: () => null });
    await expect(launcher.get(first.id)).rejects.toBeInstanceOf(NotFoundError);

    const row = (await uiTables(db).with((k) =>
      k.selectFrom('ui_launches').select('pid').where('id', '=', first.id).executeTakeFirstOrThrow(),
    )) as { pid: number };
    process.kill(-row.pid, 'SIGKILL');
    const killed: InstallView = await ended(i, first.id);
    expect(killed.status).toBe('failed');
    const next = await installer().start('loaders', 'target-jsonl');
    expect((await ended(i, next.id)).status).toBe('success');
  });

  it('reports a failed install with its exit code and Meltano’s message', async () => {
    const i = installer({ STANDIN_MODE: 'fail' });
    const started = await i.start('loaders', 'target-jsonl');
    expect(await ended(i, started.id)).toMatchObject({ status: 'failed', exit_code: 1 });
    expect((await i.output(started.id)).text).toContain(
      "Loader 'target-jsonl' could not be installed: (stand-in) pip install target-jsonl failed",
    );
  });

  it('prints Meltano’s skip line for a plugin with nothing to install', async () => {
    const i = installer();
    const started = await i.start('extractors', 'tap-local');
    expect((await ended(i, started.id)).status).toBe('success');
    expect((await i.output(started.id)).text).toContain("Skipped installing extractor 'tap-local'");
  });

  it('installs a plugin added a moment ago, although the project was read less than a check interval ago', async () => {
    const store = new ProjectStore(root, { checkIntervalMs: 60_000 });
    const i = new PluginInstaller({ ...deps(), projectStore: store });
    await store.get();
    const yml = path.join(root, 'meltano.yml');
    await writeFile(yml, `${MELTANO_YML}  - name: target-added-now\n    pip_url: target-added-now\n`);
    try {
      const started = await i.start('loaders', 'target-added-now');
      expect(await ended(i, started.id)).toMatchObject({
        status: 'success',
        plugin_name: 'target-added-now',
      });
    } finally {
      await writeFile(yml, MELTANO_YML);
    }
  });

  it('answers 404 for a plugin not in the project and 400 for an unknown type', async () => {
    const i = installer();
    await expect(i.start('extractors', 'tap-nope')).rejects.toBeInstanceOf(NotFoundError);
    const error = await i.start('models', 'tap-github').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidInputError);
    expect((error as InvalidInputError).details?.field).toBe('type');
    await expect(i.get('00000000-0000-0000-0000-000000000000')).rejects.toBeInstanceOf(NotFoundError);
  });
});
