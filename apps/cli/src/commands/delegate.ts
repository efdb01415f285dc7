import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * This launcher's bin/meltano.js: two folders up from dist/commands/delegate.js, one up from the
 * bundle (dist/meltano-ui.mjs) that users run.
 */
function launcherBin(): string {
  const bundled = fileURLToPath(new URL('../bin/meltano.js', import.meta.url));
  const compiled = fileURLToPath(new URL('../../bin/meltano.js', import.meta.url));
  return fs.realpathSync(fs.existsSync(bundled) ? bundled : compiled);
}

/** The next `meltano` on PATH that is not this launcher: the Python Meltano CLI. */
export function findPythonMeltano(env: NodeJS.ProcessEnv = process.env): string | null {
  const self = launcherBin();
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, 'meltano');
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.realpathSync(candidate) !== self) return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return null;
}

/** Hands any command this launcher does not implement to the Python Meltano CLI, unchanged. */
export function delegateToMeltano(args: string[]): Promise<number> {
  const meltano = findPythonMeltano();
  if (meltano === null) {
    process.stderr.write(
      `'meltano ${args.join(' ')}' is a command of the Python Meltano CLI, which was not found on PATH.\n` +
        'Install it (https://docs.meltano.com/getting-started/installation) to use it; this launcher only ' +
        'provides `meltano ui`.\n',
    );
    return Promise.resolve(127);
  }
  return new Promise((resolve) => {
    const child = spawn(meltano, args, { stdio: 'inherit' });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', (err) => {
      process.stderr.write(`Could not start ${meltano}: ${err.message}\n`);
      resolve(127);
    });
  });
}
