import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Page, test } from '@playwright/test';

import { copyWritable, REAL_MELTANO } from '../../test-fixtures/fixture-locations.mjs';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export {
  HAS_REAL_PROJECTS,
  REAL_MELTANO,
  REAL_PROJECTS,
  REAL_PROJECTS_SKIPPED,
} from '../../test-fixtures/fixture-locations.mjs';
/** The Meltano-CLI stand-in (not the real Meltano), for runs started "by the CLI" during a test. */
export const STANDIN = path.join(repo, 'test-fixtures', 'meltano-standin', 'bin', 'meltano.mjs');

export interface RunningUi {
  url: string;
  root: string;
  stop(): Promise<void>;
  /** Ends the process with `signal` (SIGKILL: as an OOM killer or `kill -9` would) and waits for it. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Copies a fixture project to a temp dir (fixtures are read-only) and returns the copy's root. */
export function copyProject(source: string): string {
  return copyWritable(source, 'e2e-project-');
}

/** Runs the stand-in CLI in a project, as cron or a person at a terminal would run `meltano`. */
export function runStandin(root: string, args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [STANDIN, ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
}

/**
 * Starts the built app the way users do (`meltano ui`), on a free port (or `opts.port`, so a restarted
 * replica comes back where its proxy expects it), and waits for its URL line.
 */
export async function startUi(
  root: string,
  env: Record<string, string> = {},
  opts: { port?: number } = {},
): Promise<RunningUi> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      path.join(repo, 'apps/cli/bin/meltano.js'),
      'ui',
      '--project-root',
      root,
      '--bind',
      '127.0.0.1',
      '--bind-port',
      String(opts.port ?? 0),
    ],
    {
      // Never PyPI from a test: the newest Meltano is looked up on a closed local port unless a test
      // points it at its own fake PyPI.
      env: { ...process.env, MELTANO_UI_PYPI_URL: 'http://127.0.0.1:9/pypi/meltano/json', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    // 60 s: on a loaded shared machine (several builds and test runs at once) start-up alone has taken 25 s.
    const timer = setTimeout(() => reject(new Error(`UI did not start:\n${output}`)), 60_000);
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      const m = /running at (http:\/\/\S+?)\/? /.exec(output);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr?.on('data', (d: Buffer) => {
      output += d.toString();
    });
    child.on('exit', (code) => reject(new Error(`UI exited with ${code}:\n${output}`)));
  });
  const kill = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await exited;
  };
  return { url, root, stop: () => kill('SIGTERM'), kill };
}

/** Collects console errors and uncaught page errors; a test asserts the list stays empty. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(String(err)));
  return errors;
}

/**
 * Registers beforeAll/afterAll hooks that serve a temporary copy of a real-Meltano fixture project
 * (`v3.9.5` by default) for the tests of the file; returns a getter for the running UI.
 */
export function serveFixtureProject(
  opts: { version?: string; env?: Record<string, string> } = {},
): () => RunningUi {
  let ui: RunningUi | null = null;
  test.beforeAll(async () => {
    ui = await startUi(copyProject(path.join(REAL_MELTANO, opts.version ?? 'v3.9.5', 'project')), opts.env);
  });
  test.afterAll(async () => {
    if (!ui) return;
    await ui.stop();
    fs.rmSync(ui.root, { recursive: true, force: true });
  });
  return () => {
    if (!ui) throw new Error('the UI is not running');
    return ui;
  };
}
