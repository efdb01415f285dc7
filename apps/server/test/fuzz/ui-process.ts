import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

// The fuzz drives the built launcher exactly as users start it (`pnpm build`, part of `pnpm test`,
// makes apps/cli/dist), so what it proves holds for the production build.
const BIN = fileURLToPath(new URL('../../../cli/bin/meltano.js', import.meta.url));
const CLI_DIST = fileURLToPath(new URL('../../../cli/dist/main.js', import.meta.url));

export interface UiProcess {
  url: string;
  port: number;
  pid: number;
  /** Everything the server wrote to stdout and stderr so far (its JSON log lines). */
  output(): string;
  /** Resident set size in bytes, from /proc. */
  rss(): number;
  alive(): boolean;
  stop(): Promise<number | null>;
}

export function meltanoCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): string {
  const res = spawnSync(process.execPath, [BIN, ...args], { cwd, env, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`meltano ${args[0]} failed: ${res.stdout}${res.stderr}`);
  return res.stdout;
}

export async function startUiProcess(
  root: string,
  env: NodeJS.ProcessEnv,
  /** Another user to run as (the test runs as root and needs permissions to bite). */
  as?: { uid: number; gid: number },
): Promise<UiProcess> {
  if (!fs.existsSync(CLI_DIST)) throw new Error('apps/cli is not built: run `pnpm build` first');
  const child: ChildProcess = spawn(process.execPath, [BIN, 'ui', '--project-root', root], {
    cwd: root,
    env: { ...env, MELTANO_UI_BIND_HOST: '127.0.0.1', MELTANO_UI_BIND_PORT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(as ?? {}),
  });
  let out = '';
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 30_000);
    child.stdout?.on('data', () => {
      const m = /Meltano UI is running at (http:\/\/\S+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited ${code}:\n${out}`)));
  });
  const pid = child.pid ?? -1;
  return {
    url,
    port: Number(new URL(url).port),
    pid,
    output: () => out,
    rss: () => {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
    },
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
