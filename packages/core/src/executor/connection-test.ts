import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { CoreContext } from '../core-context.js';
import { resolveMeltanoExecutable } from './meltano-executable.js';

export interface ConnectionTestOptions {
  /** Setting values to try, as the env vars Meltano reads them from (`TAP_X_API_KEY`), over the saved ones. */
  env?: Record<string, string>;
  /** Give up (a failed test) after this long; the old UI waited forever. Default 120 s. */
  timeoutMs?: number;
}

/**
 * The old UI's connection test: `meltano invoke <extractor>` until a line of its stdout is a Singer
 * RECORD (then the process is ended: success), or it exits or times out without one (failure). The
 * root settings apply (the old UI never activated an environment). Output is read, never kept or logged.
 */
export async function testExtractorConnection(
  core: CoreContext,
  extractor: string,
  opts: ConnectionTestOptions = {},
): Promise<boolean> {
  const executable = resolveMeltanoExecutable({
    setting: core.meltanoExecutable,
    root: core.root,
    sysDir: core.sysDir,
    env: core.env,
  });
  const child = spawn(executable.path, ['invoke', extractor], {
    cwd: core.root,
    env: { ...core.env, ...opts.env, MELTANO_PROJECT_ROOT: core.root, MELTANO_ENVIRONMENT: '' },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  return new Promise<boolean>((resolve) => {
    let settled = false;
    const settle = (ok: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      lines.close();
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      resolve(ok);
    };
    const timer = setTimeout(() => settle(false), opts.timeoutMs ?? 120_000);
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      try {
        const message = JSON.parse(line) as { type?: unknown } | null;
        if (message !== null && typeof message === 'object' && message.type === 'RECORD') settle(true);
      } catch {
        // Not a Singer message (a log line on stdout).
      }
    });
    child.once('error', () => settle(false));
    // 'close', not 'exit': every line of stdout has been read by then.
    child.once('close', () => settle(false));
  });
}
