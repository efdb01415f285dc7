import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CoreContext } from '../../src/core-context.js';
import { NotFoundError } from '../../src/errors.js';
import { createMeltanoRuntime } from '../../src/executor/meltano-runtime.js';
import { MeltanoUpgrader, type UpgradeView } from '../../src/executor/meltano-upgrader.js';
import { meltanoVersion } from '../../src/executor/meltano-version.js';
import { PluginInstaller } from '../../src/executor/plugin-installer.js';
import { refusalInOutput, upgradeRefusal } from '../../src/executor/upgrade-command.js';
import { ProjectStore } from '../../src/project/project-store.js';
import { uiTables } from '../../src/ui-db/migrate-ui-tables.js';
import { DIALECTS, type FixtureBackends, prepareFixtureBackends } from '../support/backends.js';

// Upgrades run the Meltano-CLI stand-in (test-fixtures/meltano-standin), not the real Meltano: it
// prints what `meltano upgrade` prints and reports the new version from a file in .meltano.
const STANDIN = fileURLToPath(
  new URL('../../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url),
);

async function until<T>(what: string, fn: () => Promise<T | null | undefined | false>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('Meltano’s refusals', () => {
  it('are told before starting inside Docker and in a Nox session, and read from Meltano’s output', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'meltano-dockerenv-'));
    try {
      const marker = path.join(dir, '.dockerenv');
      expect(upgradeRefusal({}, { containerMarker: marker })).toBeNull();
      await writeFile(marker, '');
      expect(upgradeRefusal({}, { containerMarker: marker })?.reason).toBe('it is installed inside Docker');
      expect(upgradeRefusal({ MELTANO_UI_CONTAINER_MARKER: marker })?.reason).toBe(
        'it is installed inside Docker',
      );
      expect(
        upgradeRefusal({ NOX_CURRENT_SESSION: 'tests' }, { containerMarker: path.join(dir, 'none') }),
      ).toEqual({ reason: 'it is installed inside a Nox session', instructions: '' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const printed =
      'Upgrading `meltano` package...\n\u001b[31mThe `meltano` package could not be upgraded automatically\u001b[0m because it is installed from source.\n' +
      'To upgrade manually, navigate to `/src/meltano` and run `git pull`.\nThen, run `meltano upgrade --skip-package` to upgrade your project based on the latest version.\n';
    expect(refusalInOutput(printed)).toEqual({
      reason: 'it is installed from source',
      instructions: 'navigate to `/src/meltano` and run `git pull`',
    });
    expect(refusalInOutput('Meltano and your Meltano project have been upgraded!\n')).toBeNull();
  });
});

describe('the Meltano runtime after an upgrade', () => {
  it('asks the unchanged CLI again on recheck, and a settled() meanwhile waits for the new answer', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'meltano-recheck-'));
    try {
      await writeFile(path.join(root, 'meltano.yml'), 'plugins: {}\n');
      const core = {
        root,
        sysDir: path.join(root, '.meltano'),
        meltanoExecutable: STANDIN,
        env: process.env,
      };
      const runtime = createMeltanoRuntime(core as unknown as CoreContext);
      try {
        expect((await runtime.settled(10_000)).version).toBe('3.9.5');
        await mkdir(path.join(root, '.meltano'), { recursive: true });
        await writeFile(path.join(root, '.meltano', 'standin-meltano-version'), '4.4.0\n');
        // The file is the same (path and mtime): only a recheck asks it again.
        expect((await runtime.settled(10_000)).version).toBe('3.9.5');
        const before = runtime.checkedSince;
        void runtime.recheck();
        expect(runtime.checkedSince).toBeGreaterThanOrEqual(before);
        expect((await runtime.settled(10_000)).version).toBe('4.4.0');
        expect(runtime.current().version).toBe('4.4.0');
      } finally {
        runtime.close();
      }
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

describe.each(DIALECTS)('upgrading Meltano through the launcher (%s)', (dialect) => {
  let root: string;
  let db: ReturnType<FixtureBackends['open']>;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'meltano-upgrade-'));
    await writeFile(path.join(root, 'meltano.yml'), 'default_environment: dev\nplugins: {}\n');
    db = backends.open(dialect, 'v4.2.2', () => new Date());
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  const deps = (env: Record<string, string> = {}) => ({
    root,
    sysDir: path.join(root, '.meltano'),
    tables: uiTables(db),
    executableSetting: STANDIN,
    // This machine may itself be a Docker container: Meltano's marker is pointed elsewhere.
    env: {
      ...process.env,
      STANDIN_DELAY_MS: '20',
      MELTANO_UI_CONTAINER_MARKER: path.join(root, 'no-dockerenv'),
      ...env,
    },
    databaseUriOverride: null,
    now: () => new Date(),
    earlyExitWaitMs: 0,
  });
  const upgrader = (env?: Record<string, string>) => new MeltanoUpgrader(deps(env));
  const ended = (u: MeltanoUpgrader, id: string) =>
    until(`upgrade ${id} to end`, async () => {
      const view = await u.get(id);
      return view.status === 'running' ? null : view;
    });

  it('runs `meltano upgrade`, its output readable while it runs, and the CLI reports the new version after', async () => {
    const u = upgrader({ STANDIN_UPGRADE_TO: '4.3.0', STANDIN_DELAY_MS: '150' });
    expect(await u.latest()).toBeNull();
    const started = await u.start();
    expect(started).toMatchObject({ argv: [STANDIN, 'upgrade'], status: 'running', refusal: null });
    const early = await until('the first output', async () => {
      const chunk = await u.output(started.id);
      return chunk.text.includes('Upgrading `meltano` package...') ? chunk : null;
    });
    expect(early.status).toBe('running');
    const again = await u.start().catch((e: unknown) => e);
    expect(again).toMatchObject({
      status: 409,
      code: 'upgrade_running',
      details: { upgrade_id: started.id },
    });

    const done: UpgradeView = await ended(u, started.id);
    expect(done).toMatchObject({ status: 'success', exit_code: 0, refusal: null });
    const all = await u.output(started.id);
    expect(all.text).toContain(
      'Successfully installed meltano-4.3.0\nThe `meltano` package has been upgraded.\n',
    );
    expect(all.text).toMatch(
      /Applying migrations to system database\.\.\.\n[\s\S]*Meltano and your Meltano project have been upgraded!\n$/,
    );
    expect(await readFile(path.join(root, '.meltano', 'standin-meltano-version'), 'utf8')).toBe('4.3.0\n');
    expect((await meltanoVersion(STANDIN, deps().env, root, { fresh: true }))?.text).toBe('4.3.0');
    expect((await u.latest())?.id).toBe(started.id);

    // Not an install: the install side does not see it.
    const installer = new PluginInstaller({ ...deps(), projectStore: new ProjectStore(root) });
    await expect(installer.get(started.id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('reports Meltano’s refusal (installed from source) as refused although it exits 0', async () => {
    const u = upgrader({ STANDIN_UPGRADE_EDITABLE: '/src/meltano' });
    const done = await ended(u, (await u.start()).id);
    expect(done).toMatchObject({
      status: 'refused',
      exit_code: 0,
      refusal:
        'The `meltano` package could not be upgraded automatically because it is installed from source. To upgrade manually, navigate to `/src/meltano` and run `git pull`.',
    });
  });

  it('refuses to start inside Docker, and reports a failing pip with its exit code', async () => {
    const marker = path.join(root, '.dockerenv');
    await writeFile(marker, '');
    const refused = await upgrader({ MELTANO_UI_CONTAINER_MARKER: marker })
      .start()
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({
      status: 409,
      code: 'upgrade_refused',
      details: { reason: 'it is installed inside Docker' },
    });
    expect((refused as Error).message).toMatch(
      /^The `meltano` package could not be upgraded automatically because it is installed inside Docker\. To upgrade manually, pull the latest Docker image/,
    );

    const u = upgrader({ STANDIN_MODE: 'fail' });
    const done = await ended(u, (await u.start()).id);
    expect(done).toMatchObject({ status: 'failed', exit_code: 1 });
    expect((await u.output(done.id)).text).toContain('Failed to upgrade `meltano`.');
  });
});
