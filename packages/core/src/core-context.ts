import os from 'node:os';
import path from 'node:path';
import { parseDatabaseUri } from './db/database-uri.js';
import type { SystemDatabase } from './db/system-database.js';
import { openSystemDatabase } from './db/system-database.js';
import { FailureCauseService } from './failure-causes/failure-cause-service.js';
import { createFailureCausesRepository } from './failure-causes/failure-causes.repository.js';
import type { LogRoot } from './logs/log-roots.js';
import { resolveLogRoots } from './logs/log-roots.js';
import { readDotenv } from './project/dotenv.js';
import { findProjectRoot } from './project/find-project-root.js';
import type { Project } from './project/project.types.js';
import { ProjectStore } from './project/project-store.js';
import type { ResolvedSetting, UiSettingName } from './settings/ui-settings.js';
import { resolveUiSettings } from './settings/ui-settings.js';
import { uiTables } from './ui-db/migrate-ui-tables.js';
import {
  type ActiveEnvironmentService,
  createActiveEnvironment,
  environmentChoices,
} from './workspace/active-environment.js';
import { createWorkspaceSettingsRepository } from './workspace/workspace-settings.repository.js';

export interface CoreContextOptions {
  projectRoot?: string | null;
  databaseUri?: string | null;
  bindHost?: string | null;
  bindPort?: number | null;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  homeDir?: string;
  now?: () => Date;
  /** How often the project files are checked for changes (ms). */
  projectCheckIntervalMs?: number;
}

/** Everything the server needs from core, derived once at boot. */
export interface CoreContext {
  readonly root: string;
  readonly sysDir: string;
  readonly settings: Record<UiSettingName, ResolvedSetting>;
  readonly bindHost: string;
  readonly bindPort: number;
  readonly readonly: boolean;
  readonly projectReadonly: boolean;
  readonly authentication: boolean;
  readonly anonymousReadonly: boolean;
  readonly projectStore: ProjectStore;
  readonly db: SystemDatabase;
  readonly logRoots: LogRoot[];
  /** The process environment the UI was started with (runs it launches inherit it). */
  readonly env: NodeJS.ProcessEnv;
  /** `ui.meltano_executable`, when set. */
  readonly meltanoExecutable: string | null;
  /**
   * The workspace's active environment (what settings, state IDs and runs started here use):
   * MELTANO_ENVIRONMENT from the process environment, else the admins' stored choice, else `.env`, else
   * default_environment. Shared by replicas through the system DB.
   */
  activeEnvironment(project: Project | null): Promise<string | null>;
  /** The active environment with its source, lock and switch. */
  readonly workspaceEnvironment: ActiveEnvironmentService;
  /** Why each failed run failed, read once from its log and cached (memory and `ui_run_failure_causes`). */
  readonly failureCauses: FailureCauseService;
  readonly now: () => Date;
  close(): Promise<void>;
}

export async function openCoreContext(opts: CoreContextOptions = {}): Promise<CoreContext> {
  const env = opts.env ?? process.env;
  const cwd = opts.cwd ?? process.cwd();
  const root = findProjectRoot({ projectRoot: opts.projectRoot ?? null, env, cwd });
  const sysDir = path.resolve(root, env.MELTANO_SYS_DIR_ROOT ?? '.meltano');
  const dotenv = await readDotenv(path.join(root, '.env'));
  const projectStore = new ProjectStore(root, { checkIntervalMs: opts.projectCheckIntervalMs ?? 1000 });
  // Settings are read from meltano.yml when it parses; a broken file must not stop the server, so the
  // other layers still apply and the error is shown by the API.
  const snapshot = await projectStore.get();
  const settings = resolveUiSettings({
    overrides: {
      database_uri: opts.databaseUri ?? undefined,
      'ui.bind_host': opts.bindHost ?? undefined,
      'ui.bind_port': opts.bindPort ?? undefined,
    },
    env,
    dotenv,
    meltanoYml: snapshot.ok ? snapshot.project.settings : {},
    expansionVars: { MELTANO_PROJECT_ROOT: root, MELTANO_SYS_DIR_ROOT: sysDir },
  });
  const target = parseDatabaseUri(String(settings.database_uri.value), { projectRoot: root, cwd, sysDir });
  const db = openSystemDatabase(target, opts.now ? { now: opts.now } : {});
  // The run summary's first pass reads all of `runs` (batched, the event loop stays free): start it now
  // so the first pipelines page does not wait for it. A failure here is reported by the next request.
  void db.runs.warmUp();
  const logsDir = settings['ui.logs_dir'].value;
  const logRoots = resolveLogRoots({
    sysDir,
    logsDir: typeof logsDir === 'string' && logsDir !== '' ? path.resolve(root, logsDir) : null,
    env,
    homeDir: opts.homeDir ?? os.homedir(),
  });
  const tables = uiTables(db);
  const workspaceEnvironment = createActiveEnvironment({
    repo: createWorkspaceSettingsRepository(tables, opts.now),
    processEnv: env,
    dotenv,
  });
  return {
    root,
    sysDir,
    settings,
    bindHost: String(settings['ui.bind_host'].value),
    bindPort: Number(settings['ui.bind_port'].value),
    readonly: settings['ui.readonly'].value === true,
    projectReadonly: settings.project_readonly.value === true,
    authentication: settings['ui.authentication'].value === true,
    anonymousReadonly: settings['ui.anonymous_readonly'].value === true,
    projectStore,
    db,
    logRoots,
    env,
    meltanoExecutable:
      typeof settings['ui.meltano_executable'].value === 'string'
        ? settings['ui.meltano_executable'].value
        : null,
    activeEnvironment: (project) => workspaceEnvironment.name(environmentChoices(project)),
    workspaceEnvironment,
    failureCauses: new FailureCauseService({
      repo: createFailureCausesRepository(tables, opts.now),
      roots: logRoots,
      pluginTypes: () => pluginTypes(projectStore),
    }),
    now: opts.now ?? (() => new Date()),
    close: () => db.close(),
  };
}

/** Plugin name → the `cmd_type` Meltano logs for it (`extractors` → `extractor`). */
async function pluginTypes(store: ProjectStore): Promise<ReadonlyMap<string, string>> {
  const snapshot = await store.get();
  if (!snapshot.ok) return new Map();
  return new Map(
    snapshot.project.plugins.map((p) => [p.name, p.type.replace(/ies$/, 'y').replace(/s$/, '')]),
  );
}
