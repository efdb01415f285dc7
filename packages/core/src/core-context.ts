import os from 'node:os';
import path from 'node:path';
import { type AuditLog, createAuditLog } from './audit/audit-log.js';
import { normaliseBasePath } from './auth/auth-config.js';
import { parseDatabaseUri } from './db/database-uri.js';
import type { SystemDatabase } from './db/system-database.js';
import { openSystemDatabase } from './db/system-database.js';
import { InvalidInputError } from './errors.js';
import { FailureCauseService } from './failure-causes/failure-cause-service.js';
import { createFailureCausesRepository } from './failure-causes/failure-causes.repository.js';
import type { LogRoot } from './logs/log-roots.js';
import { resolveLogRoots } from './logs/log-roots.js';
import { linkBase } from './notifications/content.js';
import { legacyEmailConfig } from './notifications/legacy-email.js';
import { createNotifications } from './notifications/notifications.js';
import type { NotificationsService } from './notifications/notifications-service.js';
import type { Notifier } from './notifications/notifier.js';
import { readDotenv } from './project/dotenv.js';
import { findProjectRoot } from './project/find-project-root.js';
import type { Project } from './project/project.types.js';
import { ProjectStore } from './project/project-store.js';
import { readEntityVersions } from './project-writes/entity-write.js';
import { createRunMetricsRepository } from './run-metrics/run-metrics.repository.js';
import { RunMetricsService } from './run-metrics/run-metrics-service.js';
import type { RunView } from './runs/run.types.js';
import { parseDurationSeconds } from './schedules/duration.js';
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
  /** How often the notifier polls for run outcomes and late schedules (ms). Default 5000. */
  notificationPollMs?: number;
  /** Records a run moved (Singer metrics), for notification messages; default: unknown. */
  recordsMoved?: (run: RunView) => Promise<number | null>;
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
  /** `ui.schedule_grace` in seconds; null: each schedule's default (10% of its interval, ≥ 5 min). */
  readonly scheduleGraceSeconds: number | null;
  /** Why each failed run failed, read once from its log and cached (memory and `ui_run_failure_causes`). */
  readonly failureCauses: FailureCauseService;
  /**
   * Singer metrics per run from its log (`ui_run_metrics`): `metricsFor(run)` for a run's page,
   * `recordsFor(runs)` for lists. The server starts the backfill of old runs once it listens
   * (`startBackfill`); short-lived commands (`meltano user add`) never read logs.
   */
  readonly runMetrics: RunMetricsService;
  /** Notification channels, rules, the delivery log and "send test" (admin routes). */
  readonly notifications: NotificationsService;
  /**
   * Sends notifications for every run and late schedule; built, not started: the server calls
   * `notifier.start()` once it listens (CLI commands that open a context never poll). close() stops it.
   */
  readonly notifier: Notifier;
  /**
   * Every change asked of the API (`ui_audit_log`): the server records each one; `startPurge()` (once
   * listening) deletes entries older than `ui.audit_retention_days`, hourly. close() stops it.
   */
  readonly audit: AuditLog;
  readonly now: () => Date;
  /**
   * Goes once through the reads the first pages of the web app make (the loaded project's entity
   * versions, the UI's tables and the active environment), for the server to call once it listens:
   * on a fresh process they cost ~100 ms more the first time (the versions parse the project files,
   * the tables' migrations are checked). Never rejects; a failure is the next request's to report.
   */
  warmReads(): Promise<void>;
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
  const runMetrics = new RunMetricsService({
    repo: createRunMetricsRepository(tables),
    roots: logRoots,
    pluginTypes: () => pluginTypes(projectStore),
    listRuns: (cursor, limit) => db.runs.list({}, { cursor, limit }),
    ...(opts.now ? { now: () => (opts.now as () => Date)().getTime() } : {}),
  });
  const grace = settings['ui.schedule_grace'].value;
  // Parsed before anything is returned: a typo stops the boot instead of silently using the default.
  const scheduleGraceSeconds =
    grace === null || grace === '' ? null : parseDurationSeconds(String(grace), 'ui.schedule_grace');
  const retentionDays = Number(settings['ui.audit_retention_days'].value);
  if (!(retentionDays > 0)) {
    throw new InvalidInputError(
      `ui.audit_retention_days must be a positive number of days, got ${retentionDays}`,
    );
  }
  const audit = createAuditLog({ tables, retentionDays, ...(opts.now ? { now: opts.now } : {}) });
  const workspaceEnvironment = createActiveEnvironment({
    repo: createWorkspaceSettingsRepository(tables, opts.now),
    processEnv: env,
    dotenv,
  });
  const failureCauses = new FailureCauseService({
    repo: createFailureCausesRepository(tables, opts.now),
    roots: logRoots,
    pluginTypes: () => pluginTypes(projectStore),
  });
  const text = (name: UiSettingName) => {
    const value = settings[name].value;
    return typeof value === 'string' && value !== '' ? value : null;
  };
  const { service: notifications, notifier } = createNotifications({
    db,
    tables,
    secretKey: String(settings['ui.secret_key'].value ?? ''),
    link: linkBase({
      serverName: text('ui.server_name'),
      basePath: normaliseBasePath(text('ui.base_path')),
      secure: settings['ui.session_cookie_secure'].value === true,
    }),
    scheduleGraceSeconds,
    legacyEmail: legacyEmailConfig(settings),
    project: async () => {
      const snapshot = await projectStore.get();
      return snapshot.ok ? snapshot.project : null;
    },
    environment: (project) => workspaceEnvironment.name(environmentChoices(project)),
    failureCause: async (run) => (await failureCauses.of(run))?.message ?? null,
    // What a notification says the run moved: its Singer metrics (the log's new part is read once).
    recordsMoved:
      opts.recordsMoved ??
      (async (run) => {
        const m = await runMetrics.metricsFor(run);
        return m.records_extracted ?? m.records_loaded;
      }),
    ...(opts.now ? { now: opts.now } : {}),
    ...(opts.notificationPollMs !== undefined ? { notifier: { pollMs: opts.notificationPollMs } } : {}),
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
    scheduleGraceSeconds,
    failureCauses,
    runMetrics,
    notifications,
    notifier,
    audit,
    now: opts.now ?? (() => new Date()),
    warmReads: async () => {
      try {
        const current = await projectStore.get();
        const project = current.ok ? current.project : null;
        if (project) await readEntityVersions(project);
        await workspaceEnvironment.resolveForDisplay(environmentChoices(project));
      } catch {
        // Nothing to do: the request that needs it reports it.
      }
    },
    async close() {
      // Before the database: a poll in progress still records what it sent, and the metrics
      // backfill stops between two chunks and stores how far it got.
      await notifier.close();
      await runMetrics.close();
      await audit.close();
      await db.close();
    },
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
