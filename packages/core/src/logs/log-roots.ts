import { homedir } from 'node:os';
import path from 'node:path';

/**
 * A folder that may hold Meltano's run logs. For every kind but `legacy`, `dir` is the folder that
 * holds `elt/<sanitized state id>/<run id>/elt.log`; for `legacy` it is `<sys dir>/run`, which holds
 * `elt/<slugified state id>/<run id>/*.log`.
 */
export interface LogRoot {
  dir: string;
  kind: 'configured' | 'project' | 'xdg' | 'legacy';
}

export interface ResolveLogRootsOptions {
  /** Meltano's system dir (`MELTANO_SYS_DIR_ROOT`, default `<project>/.meltano`), absolute. */
  sysDir: string;
  /** `ui.logs_dir` / `MELTANO_UI_LOGS_DIR`: the folder that holds `elt/`. */
  logsDir?: string | null;
  env?: NodeJS.ProcessEnv;
  homeDir?: string;
  /** Which platform's per-user log dir Meltano 4 uses; defaults to the host's. */
  platform?: NodeJS.Platform;
}

/**
 * Every place a run's log may be, most specific first: the configured `ui.logs_dir`, the project's
 * `<sys dir>/logs` (Meltano 2.x/3.x), the per-user log dir (Meltano 4.x), and the legacy
 * `<sys dir>/run`. Pure: nothing is read or created, so a root may not exist. Duplicate folders
 * (e.g. `ui.logs_dir` pointing at `.meltano/logs`) are listed once, at their first place.
 *
 * A relative `logsDir` or `sysDir` is resolved against the process's working directory; the server
 * makes configured paths absolute at boot, so that should not happen in practice.
 */
export function resolveLogRoots(opts: ResolveLogRootsOptions): LogRoot[] {
  const env = opts.env ?? process.env;
  const homeDir = opts.homeDir ?? homedir();
  const sysDir = path.resolve(opts.sysDir);
  const candidates: LogRoot[] = [];
  if (opts.logsDir != null && opts.logsDir.trim() !== '') {
    candidates.push({ dir: path.resolve(opts.logsDir), kind: 'configured' });
  }
  candidates.push({ dir: path.join(sysDir, 'logs'), kind: 'project' });
  candidates.push({ dir: userLogDir(env, homeDir, opts.platform ?? process.platform), kind: 'xdg' });
  candidates.push({ dir: path.join(sysDir, 'run'), kind: 'legacy' });

  const seen = new Set<string>();
  return candidates.filter((root) => {
    if (seen.has(root.dir)) return false;
    seen.add(root.dir);
    return true;
  });
}

/**
 * `platformdirs.user_log_path("meltano")` as Meltano 4 calls it. Like platformdirs, a blank
 * `XDG_STATE_HOME` counts as unset and a relative one is used as given (resolved here against cwd).
 */
function userLogDir(env: NodeJS.ProcessEnv, homeDir: string, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return path.join(homeDir, 'Library', 'Logs', 'meltano');
  if (platform === 'win32') {
    const localAppData = env.LOCALAPPDATA?.trim() ? env.LOCALAPPDATA : path.join(homeDir, 'AppData', 'Local');
    return path.resolve(localAppData, 'meltano', 'meltano', 'Logs');
  }
  const stateHome = env.XDG_STATE_HOME?.trim() ? env.XDG_STATE_HOME : path.join(homeDir, '.local', 'state');
  return path.resolve(stateHome, 'meltano', 'log');
}
