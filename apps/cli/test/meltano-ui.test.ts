import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startUi } from './support/start-ui.js';

// These drive the built launcher exactly as users run it; `pnpm build` (part of `pnpm test`) makes dist/.
const BIN = fileURLToPath(new URL('../bin/meltano.js', import.meta.url));
const UI_BIN = fileURLToPath(new URL('../bin/meltano-ui.js', import.meta.url));
const STANDIN = fileURLToPath(
  new URL('../../../test-fixtures/meltano-standin/bin/meltano.mjs', import.meta.url),
);

let root: string;

beforeAll(() => {
  if (!fs.existsSync(fileURLToPath(new URL('../dist/main.js', import.meta.url)))) {
    throw new Error('apps/cli is not built: run `pnpm build` first');
  }
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-test-'));
  fs.writeFileSync(
    path.join(root, 'meltano.yml'),
    "default_environment: dev\nui:\n  bind_host: '127.0.0.1'\n",
  );
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('meltano ui', () => {
  it('finds the project from the cwd, binds ui.bind_host from meltano.yml, prints the URL once it answers', async () => {
    const ui = startUi(root, BIN, ['ui']);
    const url = await ui.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const health = await fetch(`${url}api/v1/health`);
    expect(await health.json()).toEqual({ healthy: true });
    const project = (await (await fetch(`${url}api/v1/project`)).json()) as { root: string };
    expect(project.root).toBe(fs.realpathSync(root));
    ui.child.kill('SIGTERM');
    expect(await ui.exited).toBe(0);
  });

  it('`meltano-ui start --bind` is the same program and the flag wins over meltano.yml', async () => {
    const ui = startUi(root, UI_BIN, ['start', '--bind', 'localhost', '--project-root', root]);
    expect(await ui.url).toMatch(/^http:\/\/localhost:\d+\/$/);
    ui.child.kill('SIGTERM');
    await ui.exited;
  });

  it('serves under ui.base_path and prints the URL with it', async () => {
    const ui = startUi(root, BIN, ['ui'], { MELTANO_UI_BASE_PATH: 'meltano/' });
    const url = await ui.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/meltano\/$/);
    expect((await fetch(`${url}api/v1/health`)).status).toBe(200);
    const page = await fetch(`${url}runs`);
    expect(page.status).toBe(200);
    ui.child.kill('SIGTERM');
    await ui.exited;
  });

  it('warns when authentication is off on a non-loopback address', async () => {
    const ui = startUi(root, BIN, ['ui', '--bind', '0.0.0.0']);
    await ui.url;
    expect(ui.output()).toMatch(/Authentication is OFF/);
    ui.child.kill('SIGTERM');
    await ui.exited;
  });

  it('says what is wrong with a bad port or a missing project, and exits non-zero', () => {
    const bad = spawnSync(process.execPath, [BIN, 'ui', '--bind-port', 'http'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain("--bind-port must be a port number (0-65535), got 'http'");
    const nowhere = fs.mkdtempSync(path.join(os.tmpdir(), 'no-project-'));
    const missing = spawnSync(process.execPath, [BIN, 'ui'], {
      cwd: nowhere,
      encoding: 'utf8',
      env: { ...process.env, MELTANO_PROJECT_ROOT: '' },
    });
    fs.rmSync(nowhere, { recursive: true });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toMatch(/meltano\.yml/);
  });
});

describe('authentication', () => {
  it('refuses to start with ui.authentication on and no secrets, and says to run `meltano ui setup`', () => {
    const res = spawnSync(process.execPath, [BIN, 'ui'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, MELTANO_UI_AUTHENTICATION: 'true', MELTANO_UI_BIND_PORT: '0' },
      timeout: 20_000,
    });
    expect(res.status).toBe(1);
    expect(res.stderr).toMatch(/ui.secret_key is Meltano's published default.*meltano ui setup/);
  });

  it('starts with sign-in on once the secrets are fit, and asks for it', async () => {
    const ui = startUi(root, BIN, ['ui'], {
      MELTANO_UI_AUTHENTICATION: 'true',
      MELTANO_UI_SECRET_KEY: 'k'.repeat(64),
      MELTANO_UI_PASSWORD_SALT: 's'.repeat(64),
    });
    const url = await ui.url;
    expect((await fetch(`${url}api/v1/health`)).status).toBe(200);
    expect((await fetch(`${url}api/v1/project`)).status).toBe(401);
    expect(ui.output()).toMatch(/ui.server_name is not set/);
    ui.child.kill('SIGTERM');
    expect(await ui.exited).toBe(0);
  });
});

describe('other meltano commands', () => {
  it('are handed to the Python Meltano CLI further along PATH', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fake-path-'));
    fs.symlinkSync(STANDIN, path.join(dir, 'meltano'));
    const res = spawnSync(process.execPath, [BIN, '--version'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dir}${path.delimiter}${process.env.PATH}` },
    });
    fs.rmSync(dir, { recursive: true });
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('meltano, version');
  });

  it('say clearly when there is no Python Meltano', () => {
    const res = spawnSync(process.execPath, [BIN, 'elt', 'tap-x', 'target-y'], {
      encoding: 'utf8',
      env: { ...process.env, PATH: path.dirname(process.execPath) },
    });
    expect(res.status).toBe(127);
    expect(res.stderr).toContain('Python Meltano CLI, which was not found on PATH');
  });
});
