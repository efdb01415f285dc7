// The UI as users run it: the built launcher (`meltano ui`), a child process on loopback.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { REPO } from './fixture-project.js';

const LAUNCHER = path.join(REPO, 'apps', 'cli', 'bin', 'meltano.js');
const BUILT = ['packages/core/dist/index.js', 'apps/server/dist/index.js', 'apps/cli/dist/main.js'];

/** The soak measures the production build, never the TypeScript sources. */
export function requireBuild(): void {
  const missing = BUILT.filter((f) => !fs.existsSync(path.join(REPO, f)));
  if (missing.length > 0) {
    throw new Error(
      `Not built: ${missing.join(', ')}. Run \`pnpm bench:soak\` from the root (it builds first).`,
    );
  }
}

/** `meltano user add NAME PASSWORD -G ROLE`, with the same secrets the server gets. */
export function addUser(root: string, env: NodeJS.ProcessEnv, user: string, password: string, role: string) {
  const out = spawnSync(
    process.execPath,
    [LAUNCHER, 'user', 'add', user, password, '-G', role, '--project-root', root],
    { env, encoding: 'utf8' },
  );
  if (out.status !== 0) throw new Error(`meltano user add ${user} failed: ${out.stderr}${out.stdout}`);
}

export interface UiProcess {
  url: string;
  pid: number;
  /** The inspector's WebSocket URL once SIGUSR1 opened it (for a forced GC before measuring). */
  inspector(): Promise<string>;
  /** Server log lines at level error or fatal (pino 50/60), first few kept. */
  errorLines: string[];
  errorLineCount: number;
  rssMiB(): number;
  /** The exit code once the server process ended (null when a signal ended it), else undefined. */
  exitCode(): number | null | undefined;
  /** SIGTERM; resolves with the exit code and how long it took, or null if it had to be killed. */
  stop(timeoutMs: number): Promise<{ code: number | null; ms: number } | null>;
}

/** Resident memory of a process, from /proc (Linux). */
export function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
}

/** Starts `meltano ui` on loopback (on `port`, else a free one) and resolves once it printed its banner. */
export async function startUi(root: string, env: NodeJS.ProcessEnv, port = 0): Promise<UiProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    // The inspector stays closed until the soak sends SIGUSR1; port 0 so it never collides.
    [
      // BENCH_UI_NODE_FLAGS: extra Node flags for the server (e.g. `--cpu-prof --cpu-prof-dir=/tmp/p`).
      ...(process.env.BENCH_UI_NODE_FLAGS ?? '').split(' ').filter(Boolean),
      '--inspect-port=0',
      LAUNCHER,
      'ui',
      '--project-root',
      root,
      '--bind',
      '127.0.0.1',
      '--bind-port',
      String(port),
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const errorLines: string[] = [];
  let errorLineCount = 0;
  let startup = '';
  let rest = '';
  let onInspector: (url: string) => void = () => {};
  const inspectorUrl = new Promise<string>((resolve) => {
    onInspector = resolve;
  });
  // The log is JSON lines; only error and fatal ones are kept, found without parsing every line.
  const scan = (d: Buffer) => {
    const text = rest + d.toString();
    const lines = text.split('\n');
    rest = lines.pop() ?? '';
    for (const line of lines) {
      const debug = /^Debugger listening on (ws:\/\/\S+)/.exec(line);
      if (debug?.[1]) onInspector(debug[1]);
      if (line.includes('"level":50') || line.includes('"level":60')) {
        errorLineCount++;
        if (errorLines.length < 10) errorLines.push(line.slice(0, 600));
      }
    }
  };
  child.stdout?.on('data', scan);
  child.stderr?.on('data', scan);
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      exitCode = code;
      resolve(code);
    }),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the UI did not start in 60 s:\n${startup}`)), 60_000);
    const onData = (d: Buffer) => {
      startup += d.toString();
      const m = /running at (http:\/\/\S+?)\/? /.exec(startup);
      if (m?.[1]) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        resolve(m[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`the UI exited with ${code}:\n${startup}`)));
  });
  const pid = child.pid!;
  return {
    url,
    pid,
    errorLines,
    get errorLineCount() {
      return errorLineCount;
    },
    rssMiB: () => rssOf(pid),
    exitCode: () => exitCode,
    inspector() {
      child.kill('SIGUSR1');
      return inspectorUrl;
    },
    async stop(timeoutMs) {
      const t = performance.now();
      child.kill('SIGTERM');
      const code = await Promise.race([
        exited,
        new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), timeoutMs)),
      ]);
      if (code !== 'timeout') return { code, ms: performance.now() - t };
      child.kill('SIGKILL');
      await exited;
      return null;
    },
  };
}
