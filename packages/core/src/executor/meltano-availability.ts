import type { CoreContext } from '../core-context.js';
import { MeltanoNotFoundError, resolveMeltanoExecutable } from './meltano-executable.js';

/** Whether "Run now" and "Install" can work here, asked up front so the web app can say so before a click. */
export interface MeltanoAvailability {
  available: boolean;
  /** Where the CLI was found: `ui.meltano_executable`, the project's `.meltano/run/bin`, or PATH. */
  source: 'setting' | 'project' | 'path' | null;
  /** The absolute path of the CLI; only for callers allowed to see paths. */
  executable: string | null;
  /** Why runs cannot start (the same message a run attempt answers with 503 `meltano_not_found`). */
  reason: string | null;
}

/** Only looks for the file (no `meltano --version`), so it is cheap enough for every page load. */
export function meltanoAvailability(core: CoreContext): MeltanoAvailability {
  try {
    const found = resolveMeltanoExecutable({
      setting: core.meltanoExecutable,
      root: core.root,
      sysDir: core.sysDir,
      env: core.env,
    });
    return { available: true, source: found.source, executable: found.path, reason: null };
  } catch (error) {
    if (!(error instanceof MeltanoNotFoundError)) throw error;
    return { available: false, source: null, executable: null, reason: error.message };
  }
}
