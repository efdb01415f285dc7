import fs from 'node:fs';
import path from 'node:path';
import { CoreError } from '../errors.js';

/** Written into this UI's own `meltano` launcher, so looking for the Python CLI on PATH skips it. */
export const LAUNCHER_MARKER = 'meltano-ui-launcher';

export interface MeltanoExecutable {
  path: string;
  /** Where it was found: `ui.meltano_executable`, the project's `.meltano/run/bin`, or PATH. */
  source: 'setting' | 'project' | 'path';
}

export class MeltanoNotFoundError extends CoreError {
  constructor(message: string) {
    super('meltano_not_found', 503, message);
  }
}

function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function isOurLauncher(file: string): boolean {
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const head = Buffer.alloc(512);
      const n = fs.readSync(fd, head, 0, head.length, 0);
      return head.subarray(0, n).toString('latin1').includes(LAUNCHER_MARKER);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return false;
  }
}

/**
 * The Meltano CLI the UI runs pipelines with: `ui.meltano_executable`, else the `.meltano/run/bin`
 * link Meltano keeps in the project, else `meltano` on PATH (never this UI's own launcher).
 */
export function resolveMeltanoExecutable(opts: {
  setting: string | null;
  root: string;
  sysDir: string;
  env: NodeJS.ProcessEnv;
}): MeltanoExecutable {
  if (opts.setting) {
    const file = path.resolve(opts.root, opts.setting);
    if (!fs.existsSync(file)) {
      throw new MeltanoNotFoundError(
        `ui.meltano_executable is set to ${opts.setting}, which does not exist. Point it (MELTANO_UI_MELTANO_EXECUTABLE) at the meltano command of your installation, e.g. the output of \`which meltano\`.`,
      );
    }
    if (!isExecutableFile(file)) {
      throw new MeltanoNotFoundError(
        `ui.meltano_executable is set to ${opts.setting}, which is not an executable file.`,
      );
    }
    return { path: file, source: 'setting' };
  }
  const projectBin = path.join(opts.sysDir, 'run', 'bin');
  if (isExecutableFile(projectBin) && !isOurLauncher(projectBin))
    return { path: projectBin, source: 'project' };
  for (const dir of (opts.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, 'meltano');
    if (isExecutableFile(candidate) && !isOurLauncher(fs.realpathSync(candidate))) {
      return { path: candidate, source: 'path' };
    }
  }
  throw new MeltanoNotFoundError(
    'The Meltano CLI was not found, so pipelines cannot be run from here. Install it where this UI runs ' +
      '(e.g. `pipx install meltano`) or set ui.meltano_executable (MELTANO_UI_MELTANO_EXECUTABLE) to its path.',
  );
}
