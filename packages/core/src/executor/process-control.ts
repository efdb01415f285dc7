import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The Meltano CLI runs under a tiny sh wrapper that (1) forwards SIGTERM to it once, so Meltano can end
 * its run as "The process was terminated", and (2) writes its exit code to a file, so the code is known
 * even when the UI server was restarted in between (the run is detached and outlives it).
 */
const WRAPPER = `
"$0" "$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM
trap 'kill -INT "$child" 2>/dev/null' INT
while :; do
  wait "$child"
  code=$?
  kill -0 "$child" 2>/dev/null || break
done
printf '%s' "$code" > "$MELTANO_UI_EXIT_FILE"
exit "$code"
`;

export interface DetachedProcess {
  pid: number;
  child: ChildProcess;
}

/** Starts `executable args` in `cwd`, in its own session and process group, output to `captureFile`. */
export function spawnDetached(opts: {
  executable: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  captureFile: string;
  exitFile: string;
}): Promise<DetachedProcess> {
  fs.mkdirSync(path.dirname(opts.captureFile), { recursive: true });
  const out = fs.openSync(opts.captureFile, 'a', 0o600);
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', WRAPPER, opts.executable, ...opts.args], {
      cwd: opts.cwd,
      env: { ...opts.env, MELTANO_UI_EXIT_FILE: opts.exitFile },
      detached: true,
      stdio: ['ignore', out, out],
    });
    child.once('error', (err) => {
      fs.closeSync(out);
      reject(err);
    });
    child.once('spawn', () => {
      fs.closeSync(out);
      child.unref();
      resolve({ pid: child.pid as number, child });
    });
  });
}

/**
 * Whether `pid` is still the process this UI started: alive, and (where /proc can tell) carrying the
 * launch's id in its environment, so a reused pid after a reboot is never signalled.
 */
export function isOurProcess(pid: number, launchId: string): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // ESRCH: gone. EPERM: a process of another user took the pid, so not ours either.
    void err;
    return false;
  }
  try {
    const environ = fs.readFileSync(`/proc/${pid}/environ`, 'latin1');
    return environ.split('\0').includes(`MELTANO_UI_LAUNCH_ID=${launchId}`);
  } catch {
    return true; // no /proc (macOS): trust kill(0)
  }
}

/** Asks the run to stop: SIGTERM to the wrapper, which forwards it to Meltano. */
export function terminate(pid: number): boolean {
  try {
    process.kill(pid, 'SIGTERM');
    return true;
  } catch {
    return false;
  }
}

/** Stops the whole process group at once (Meltano, its taps and targets) when SIGTERM was ignored. */
export function killGroup(pid: number): boolean {
  try {
    process.kill(-pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}

/** The exit code the wrapper wrote, or null (still running, or killed before it could write). */
export function readExitCode(exitFile: string): number | null {
  try {
    const text = fs.readFileSync(exitFile, 'utf8').trim();
    return /^\d+$/.test(text) ? Number(text) : null;
  } catch {
    return null;
  }
}
