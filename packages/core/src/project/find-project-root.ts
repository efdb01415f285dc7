import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ProjectNotFoundError } from '../errors.js';

export interface FindProjectRootOptions {
  /** The `--project-root` value, if given. */
  projectRoot?: string | null;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

function hasMeltanoYml(dir: string): boolean {
  try {
    return statSync(join(dir, 'meltano.yml')).isFile();
  } catch {
    return false;
  }
}

/**
 * Where the Meltano project is, in Meltano's own order: `--project-root`, then `MELTANO_PROJECT_ROOT`, then
 * the nearest directory holding `meltano.yml` from the working directory upwards. Runs once at boot, so it
 * is synchronous.
 */
export function findProjectRoot(opts: FindProjectRootOptions): string {
  const env = opts.env ?? process.env;
  const cwd = resolve(opts.cwd ?? process.cwd());

  const explicit: [string, string] | null = opts.projectRoot
    ? ['--project-root', opts.projectRoot]
    : env.MELTANO_PROJECT_ROOT
      ? ['MELTANO_PROJECT_ROOT', env.MELTANO_PROJECT_ROOT]
      : null;
  if (explicit) {
    const [source, value] = explicit;
    const root = resolve(cwd, value);
    if (hasMeltanoYml(root)) return root;
    throw new ProjectNotFoundError(
      `No meltano.yml in ${root} (given by ${source}). Point ${source} at the directory that holds meltano.yml.`,
    );
  }

  const tried: string[] = [];
  for (let dir = cwd; ; dir = dirname(dir)) {
    tried.push(dir);
    if (hasMeltanoYml(dir)) return dir;
    if (dirname(dir) === dir) break;
  }
  throw new ProjectNotFoundError(
    `No meltano.yml found in ${cwd} or any parent directory (looked in: ${tried.join(', ')}). ` +
      'Run from inside a Meltano project, or pass --project-root / set MELTANO_PROJECT_ROOT.',
  );
}
