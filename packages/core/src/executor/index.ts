import type { CoreContext } from '../core-context.js';
import { uiTables } from '../ui-db/migrate-ui-tables.js';
import { PipelineLauncher } from './pipeline-launcher.js';

export type { LaunchStatus, LaunchView } from './launch.types.js';
export { LAUNCHER_MARKER, MeltanoNotFoundError, resolveMeltanoExecutable } from './meltano-executable.js';
export type { PipelineKind } from './pipeline-command.js';
export { PipelineLauncher } from './pipeline-launcher.js';

/** The launcher for a core context; it records launches in the UI's own tables of the system DB. */
export function createPipelineLauncher(
  core: CoreContext,
  opts: { cancelGraceMs?: number; earlyExitWaitMs?: number } = {},
) {
  return new PipelineLauncher({
    root: core.root,
    sysDir: core.sysDir,
    db: core.db,
    tables: uiTables(core.db),
    projectStore: core.projectStore,
    activeEnvironment: (d) => core.activeEnvironment(d),
    executableSetting: core.meltanoExecutable,
    env: core.env,
    databaseUriOverride:
      core.settings.database_uri.source === 'cli' ? String(core.settings.database_uri.value) : null,
    now: core.now,
    ...opts,
  });
}
