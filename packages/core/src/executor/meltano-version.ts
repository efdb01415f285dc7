import { execFile } from 'node:child_process';
import fs from 'node:fs';

export interface MeltanoVersion {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

const cache = new Map<string, Promise<MeltanoVersion | null>>();

/** `meltano --version`, cached per executable, its mtime and the project; null when it cannot be told. */
export function meltanoVersion(
  executable: string,
  env: NodeJS.ProcessEnv,
  cwd: string,
  /** Ask again even if this file was asked before (a broken venv may have been repaired in place). */
  opts: { fresh?: boolean } = {},
): Promise<MeltanoVersion | null> {
  // Per project too: one process may serve several (tests), and an upgrade is seen by the one it ran in.
  let key = `${executable}\0${cwd}`;
  try {
    key = `${executable}@${fs.statSync(executable).mtimeMs}\0${cwd}`;
  } catch {
    // a missing file fails below with a null version
  }
  let found = opts.fresh ? undefined : cache.get(key);
  if (!found) {
    found = new Promise((resolve) => {
      execFile(executable, ['--version'], { env, cwd, timeout: 20_000 }, (err, stdout) => {
        const m = /version\s+(\d+)\.(\d+)\.(\d+)/.exec(String(stdout));
        if (err || !m) return resolve(null);
        resolve({
          major: Number(m[1]),
          minor: Number(m[2]),
          patch: Number(m[3]),
          text: `${m[1]}.${m[2]}.${m[3]}`,
        });
      });
    });
    cache.set(key, found);
  }
  return found;
}

export function atLeast(v: MeltanoVersion | null, major: number, minor = 0): boolean {
  return v !== null && (v.major > major || (v.major === major && v.minor >= minor));
}
