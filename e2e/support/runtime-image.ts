import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BUILD_RUNTIME_SCRIPT, REPO_ROOT, readRuntimeStage } from '../../docker/src/dockerfile-stages';
import { copyWritable, REAL_MELTANO } from '../../test-fixtures/fixture-locations.mjs';
import { TINI } from '../scripts/ensure-debian-packages.mjs';
import { freePort } from './nginx';

/**
 * What docker/Dockerfile's runtime stage holds, run on this machine without Docker: the folder
 * docker/build-runtime.sh makes (the same script the image runs), started with the stage's ENTRYPOINT
 * and CMD, its ENV, its WORKDIR and its USER, all read from the Dockerfile. The image's paths are
 * mapped to temp folders; the bind address and port are the only values changed (loopback, a free
 * port), and the system database is the local PostgreSQL, as in the compose file and the cluster.
 */
export interface RuntimeImage {
  url: string;
  /** The uid:gid the server runs as. */
  user: string;
  /** The pid of the started command (tini, as PID 1 is in the container). */
  pid: number;
  /** Whether that command is tini (else the server itself: tini is not installed here). */
  withTini: boolean;
  projectRoot: string;
  output(): string;
  /** SIGTERM, as `docker stop` sends PID 1; resolves with the exit code. */
  stop(): Promise<number | null>;
}

export const stage = readRuntimeStage();
const PG = { host: '127.0.0.1', port: '5432', user: 'postgres' };

/** createdb / dropdb against the local server. */
function pgClient(args: string[]) {
  execFileSync(args[0] ?? '', [...args.slice(1), '-h', PG.host, '-p', PG.port, '-U', PG.user], {
    stdio: 'ignore',
  });
}

/** Makes the runtime folder once per run (about a minute on a cold store, seconds on a warm one). */
export function buildRuntimeFolder(into: string): void {
  if (!fs.existsSync(path.join(REPO_ROOT, 'apps', 'web', 'dist', 'index.html'))) {
    throw new Error(
      'apps/web/dist is missing: run `pnpm run build` first (the image builds before deploying)',
    );
  }
  execFileSync('sh', [path.join(REPO_ROOT, BUILD_RUNTIME_SCRIPT), into], { cwd: REPO_ROOT, stdio: 'pipe' });
}

export async function startRuntimeImage(appDir: string): Promise<RuntimeImage> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-runtime-image-'));
  fs.chmodSync(work, 0o755);
  // The project as a project image bakes it: readable by the UI's user, not writable (root's files, as
  // on the cluster's read-only root filesystem).
  const project = copyWritable(path.join(REAL_MELTANO, 'v3.9.5', 'project'), 'e2e-runtime-project-');
  const logs = path.join(work, 'logs');
  fs.mkdirSync(logs);
  const [uid = '', gid = ''] = stage.user.split(':');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) fs.chownSync(logs, Number(uid), Number(gid));

  const database = `meltano_ui_runtime_${process.pid}_${Date.now()}`;
  pgClient(['createdb', database]);

  // The image's paths, mapped to this run's folders.
  const mapped: [string, string][] = [
    [stage.appDir, appDir],
    [stage.workdir, project],
    [String(stage.env.MELTANO_UI_LOGS_DIR), logs],
  ];
  const remap = (value: string) => {
    for (const [from, to] of mapped) {
      if (value === from || value.startsWith(`${from}/`)) return to + value.slice(from.length);
    }
    return value;
  };
  const port = await freePort();
  const env: Record<string, string> = {
    // The node image's PATH, with this machine's node 20 where the image has /usr/local/bin/node.
    PATH: `${path.dirname(process.execPath)}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`,
    // useradd --home-dir /project
    HOME: project,
    ...Object.fromEntries(Object.entries(stage.env).map(([k, v]) => [k, remap(v)])),
    MELTANO_UI_BIND_HOST: '127.0.0.1',
    MELTANO_UI_BIND_PORT: String(port),
    MELTANO_DATABASE_URI: `postgresql://${PG.user}@${PG.host}:${PG.port}/${database}`,
  };
  let command = stage.command.map(remap);
  if (command[0] === '/usr/bin/tini' && !fs.existsSync(TINI)) {
    process.stdout.write(`runtime image: ${TINI} is not installed; starting without tini\n`);
    command = command.slice(command.indexOf('--') + 1);
  }
  // setpriv switches to the image's USER (uid:gid, no supplementary groups) as Docker does.
  const argv = asRoot
    ? ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', ...command]
    : command;
  if (!asRoot)
    process.stdout.write('runtime image: not root here, so running as the current (non-root) user\n');
  const child: ChildProcess = spawn(argv[0] ?? '', argv.slice(1), {
    cwd: project,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const up = await fetch(`${url}/api/v1/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`the runtime image did not start:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  let stopped: Promise<number | null> | null = null;
  return {
    url,
    user: asRoot ? stage.user : `${process.getuid?.()}:${process.getgid?.()}`,
    pid: child.pid ?? 0,
    withTini: command[0] === TINI,
    projectRoot: project,
    output: () => output,
    stop() {
      stopped ??= (async () => {
        child.kill('SIGTERM');
        const code = await exited;
        pgClient(['dropdb', '--if-exists', database]);
        fs.rmSync(work, { recursive: true, force: true });
        fs.rmSync(project, { recursive: true, force: true });
        return code;
      })();
      return stopped;
    },
  };
}
