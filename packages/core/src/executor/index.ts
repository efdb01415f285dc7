import type { CoreContext } from '../core-context.js';
import { uiTables } from '../ui-db/migrate-ui-tables.js';
import type { LaunchRunnerDeps } from './launch-runner.js';
import { MeltanoUpgrader } from './meltano-upgrader.js';
import { PipelineLauncher } from './pipeline-launcher.js';
import { PluginInstaller } from './plugin-installer.js';

export { type ConnectionTestOptions, testExtractorConnection } from './connection-test.js';
export type { LaunchStatus, LaunchView } from './launch.types.js';
export { type MeltanoAvailability, meltanoAvailability } from './meltano-availability.js';
export { LAUNCHER_MARKER, MeltanoNotFoundError, resolveMeltanoExecutable } from './meltano-executable.js';
export { createMeltanoRuntime, type MeltanoRuntime, type MeltanoRuntimeStatus } from './meltano-runtime.js';
export {
  MeltanoUpgrader,
  type UpgradeOutput,
  type UpgradeStatus,
  type UpgradeView,
} from './meltano-upgrader.js';
export type { PipelineKind } from './pipeline-command.js';
export { type CancelOutcome, PipelineLauncher } from './pipeline-launcher.js';
export type { InstallOutput, InstallStatus, InstallView } from './plugin-installer.js';
export { PluginInstaller } from './plugin-installer.js';
export {
  activeRunOptions,
  offeredRunOptions,
  RUN_OPTION_NAMES,
  type RunOptionName,
  type RunOptions,
  type RunTarget,
  runOptionArgs,
} from './run-options.js';
export { refusalMessage, type UpgradeRefusal, upgradeRefusal } from './upgrade-command.js';

/** What launches need from a core context; they are recorded in the UI's own tables of the system DB. */
export function runnerDeps(core: CoreContext): LaunchRunnerDeps {
  return {
    root: core.root,
    sysDir: core.sysDir,
    tables: uiTables(core.db),
    executableSetting: core.meltanoExecutable,
    env: core.env,
    databaseUriOverride:
      core.settings.database_uri.source === 'cli' ? String(core.settings.database_uri.value) : null,
    now: core.now,
  };
}

export interface PipelineLauncherOptions {
  cancelGraceMs?: number;
  earlyExitWaitMs?: number;
  /** The host name launches record (os.hostname() by default). */
  host?: string;
  replicaTimings?: { heartbeatMs?: number; deadAfterMs?: number; pollMs?: number };
}

export function createPipelineLauncher(core: CoreContext, opts: PipelineLauncherOptions = {}) {
  return new PipelineLauncher({
    ...runnerDeps(core),
    db: core.db,
    projectStore: core.projectStore,
    activeEnvironment: (project) => core.activeEnvironment(project),
    ...opts,
  });
}

export function createPluginInstaller(core: CoreContext, opts: { earlyExitWaitMs?: number } = {}) {
  return new PluginInstaller({ ...runnerDeps(core), projectStore: core.projectStore, ...opts });
}

export function createMeltanoUpgrader(
  core: CoreContext,
  opts: { earlyExitWaitMs?: number; containerMarker?: string } = {},
) {
  return new MeltanoUpgrader({ ...runnerDeps(core), ...opts });
}
