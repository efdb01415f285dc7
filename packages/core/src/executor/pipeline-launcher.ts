import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { SystemDatabase } from '../db/system-database.js';
import { ConflictError, CoreError, NotFoundError } from '../errors.js';
import { readLogTail } from '../logs/read-log.js';
import type { ProjectStore } from '../project/project-store.js';
import type { RunView } from '../runs/run.types.js';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import type { LaunchRow, LaunchView } from './launch.types.js';
import { createLaunchesRepository, LockHeldError, launchView } from './launches.repository.js';
import { resolveMeltanoExecutable } from './meltano-executable.js';
import { meltanoVersion } from './meltano-version.js';
import { type PipelineKind, pipelineCommand } from './pipeline-command.js';
import { isOurProcess, killGroup, readExitCode, spawnDetached, terminate } from './process-control.js';
import { failKilledRun } from './run-row-writes.js';

export interface LauncherDeps {
  root: string;
  sysDir: string;
  db: SystemDatabase;
  tables: UiTables;
  projectStore: ProjectStore;
  activeEnvironment(defaultEnvironment: string | null): string | null;
  executableSetting: string | null;
  env: NodeJS.ProcessEnv;
  /** A `--database-uri` given to the UI: its runs must write to the same database. */
  databaseUriOverride: string | null;
  now: () => Date;
  host?: string;
  /** How long a run may take to stop after SIGTERM before its process group is killed. */
  cancelGraceMs?: number;
  /** How long `start` waits to report a command that fails at once (not found, bad arguments). */
  earlyExitWaitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts, watches and cancels the pipeline runs this UI launches with the Meltano CLI. */
export class PipelineLauncher {
  readonly #deps: LauncherDeps;
  readonly #launches;
  readonly #host: string;
  /** State IDs this process is starting right now: two clicks in one millisecond never both pass. */
  readonly #starting = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(deps: LauncherDeps) {
    this.#deps = deps;
    this.#launches = createLaunchesRepository(deps.tables);
    this.#host = deps.host ?? os.hostname();
  }

  #files(id: string) {
    const dir = path.join(this.#deps.sysDir, 'run', 'ui', 'launches');
    return { capture: path.join(dir, `${id}.log`), exit: path.join(dir, `${id}.exit`) };
  }

  async start(kind: PipelineKind, name: string): Promise<LaunchView> {
    const snapshot = await this.#deps.projectStore.get();
    if (!snapshot.ok) throw snapshot.error;
    const project = snapshot.project;
    const environment = this.#deps.activeEnvironment(project.default_environment);
    const executable = resolveMeltanoExecutable({
      setting: this.#deps.executableSetting,
      root: this.#deps.root,
      sysDir: this.#deps.sysDir,
      env: this.#deps.env,
    });
    const version = await meltanoVersion(executable.path, this.#deps.env, this.#deps.root);
    const command = pipelineCommand(project, kind, name, { version, environment });
    const busy = command.stateIds.filter((id) => this.#starting.has(id));
    if (busy.length > 0) throw this.#alreadyStarting(name);
    for (const id of command.stateIds) this.#starting.add(id);
    try {
      await this.#refuseIfRunning(name, command.stateIds);
      return await this.#launch(command, executable.path, environment);
    } finally {
      for (const id of command.stateIds) this.#starting.delete(id);
    }
  }

  async #refuseIfRunning(name: string, stateIds: string[]) {
    if (stateIds.length === 0) return;
    const latest = await this.#deps.db.runs.latestByStateId(stateIds);
    for (const run of latest.values()) {
      if (run.status === 'running') {
        throw new ConflictError(
          'pipeline_running',
          `'${name}' is already running (run #${run.id}, state ID ${run.state_id}, started ${run.started_at}). Wait for it to end or cancel it.`,
          { run_id: run.id },
        );
      }
    }
  }

  #alreadyStarting(name: string) {
    return new ConflictError('pipeline_starting', `'${name}' is being started by this Meltano UI already.`);
  }

  async #launch(command: ReturnType<typeof pipelineCommand>, executable: string, environment: string | null) {
    const id = randomUUID();
    const runId = randomUUID();
    const files = this.#files(id);
    const now = this.#deps.now().toISOString();
    const row: LaunchRow = {
      id,
      pipeline_kind: command.kind,
      pipeline_name: command.name,
      state_ids: JSON.stringify(command.stateIds),
      run_id: runId,
      executable,
      argv: JSON.stringify(command.args),
      host: this.#host,
      pid: null,
      status: 'starting',
      exit_code: null,
      signal: null,
      error: null,
      capture_file: files.capture,
      created_at: now,
      ended_at: null,
      cancel_requested_at: null,
    };
    await this.#createWithLocks(row, command.name);
    const env: NodeJS.ProcessEnv = {
      ...this.#deps.env,
      ...command.env,
      MELTANO_PROJECT_ROOT: this.#deps.root,
      MELTANO_JOB_TRIGGER: 'ui',
      MELTANO_RUN_ID: runId,
      MELTANO_UI_LAUNCH_ID: id,
    };
    if (environment !== null && command.env.MELTANO_ENVIRONMENT === undefined)
      env.MELTANO_ENVIRONMENT = environment;
    if (this.#deps.databaseUriOverride !== null) env.MELTANO_DATABASE_URI = this.#deps.databaseUriOverride;
    let pid: number;
    try {
      const started = await spawnDetached({
        executable,
        args: command.args,
        cwd: this.#deps.root,
        env,
        captureFile: files.capture,
        exitFile: files.exit,
      });
      pid = started.pid;
      started.child.once('exit', (code, signal) => void this.#finish(id, code, signal));
    } catch (err) {
      const message = `Could not start ${executable}: ${(err as Error).message}`;
      await this.#launches.finish(id, {
        status: 'failed_to_start',
        error: message,
        ended_at: this.#deps.now().toISOString(),
      });
      throw new CoreError('meltano_failed_to_start', 503, message, { launch_id: id });
    }
    await this.#launches.update(id, { pid, status: 'running' });
    // A command that fails at once (bad setting, refused run) is reported in this response.
    const deadline = Date.now() + (this.#deps.earlyExitWaitMs ?? 1000);
    while (Date.now() < deadline) {
      const current = await this.#launches.get(id);
      if (current?.status === 'exited') break;
      await sleep(100);
    }
    return this.get(id);
  }

  async #createWithLocks(row: LaunchRow, name: string) {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.#launches.create(row);
        return;
      } catch (err) {
        if (!(err instanceof LockHeldError)) throw err;
        // A lock left by a launch whose process is gone (server killed mid-run) is released, once.
        const released = await Promise.all(err.holders.map((holder) => this.#reconcileOne(holder)));
        if (attempt > 0 || !released.every(Boolean)) throw this.#alreadyStarting(name);
      }
    }
  }

  async #finish(id: string, code: number | null, signal: NodeJS.Signals | null) {
    try {
      const exitCode = readExitCode(this.#files(id).exit) ?? code;
      await this.#launches.finish(id, {
        status: 'exited',
        exit_code: exitCode,
        signal: exitCode === null ? signal : null,
        ended_at: this.#deps.now().toISOString(),
      });
    } catch {
      // The database is down: reconcile() records the exit once it is back.
    }
  }

  /** Finishes a launch whose process is gone; true when the launch is (now) finished. */
  async #reconcileOne(id: string): Promise<boolean> {
    const row = await this.#launches.get(id);
    if (!row) return true;
    if (row.status !== 'starting' && row.status !== 'running') return true;
    if (row.host !== this.#host) return false;
    if (row.pid !== null && isOurProcess(row.pid, row.id)) return false;
    if (row.pid === null && Date.now() - Date.parse(row.created_at) < 60_000) return false;
    const exitCode = readExitCode(this.#files(id).exit);
    await this.#launches.finish(id, {
      status: row.pid === null ? 'failed_to_start' : 'exited',
      exit_code: exitCode,
      error: row.pid === null ? 'The Meltano UI stopped before the run started' : row.error,
      ended_at: this.#deps.now().toISOString(),
    });
    return true;
  }

  /** Records the end of runs that finished while this server was down. */
  async reconcile(): Promise<void> {
    for (const row of await this.#launches.active()) await this.#reconcileOne(row.id);
  }

  async get(id: string): Promise<LaunchView> {
    await this.#reconcileOne(id);
    const row = await this.#launches.get(id);
    if (!row) throw new NotFoundError('launch', `No launch with id ${id}`);
    return launchView(row);
  }

  /** The last lines the Meltano CLI printed (its own log file may not exist when it fails early). */
  async output(id: string, lines: number) {
    const row = await this.#launches.get(id);
    if (!row) throw new NotFoundError('launch', `No launch with id ${id}`);
    try {
      return await readLogTail(row.capture_file, { lines });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return { offset: 0, length: 0, size: 0, text: '', eof: true, lines: 0 };
      throw err;
    }
  }

  /** The launch that produced a run: by the run ID the UI gave Meltano, else by state ID and time. */
  async forRun(run: RunView): Promise<LaunchView | null> {
    if (run.run_id !== null) {
      const byId = await this.#launches.byRunId(run.run_id);
      if (byId) return launchView(byId);
    }
    if (run.trigger !== 'ui' || run.started_at === null) return null;
    const started = Date.parse(run.started_at);
    for (const row of await this.#launches.recentForStateId(run.state_id, 20)) {
      const created = Date.parse(row.created_at);
      const ended = row.ended_at === null ? Number.POSITIVE_INFINITY : Date.parse(row.ended_at);
      if (created - 2000 <= started && started <= ended) return launchView(row);
    }
    return null;
  }

  /** Cancels a run this UI started: SIGTERM (Meltano ends it as FAIL), then SIGKILL after the grace. */
  async cancelRun(run: RunView): Promise<LaunchView> {
    if (run.status === 'success' || run.status === 'failed') {
      throw new ConflictError('run_finished', `Run #${run.id} has already finished (${run.status}).`);
    }
    const launch = await this.forRun(run);
    if (!launch) {
      throw new ConflictError(
        'run_not_started_here',
        `Run #${run.id} was not started by this Meltano UI (trigger: ${run.trigger ?? 'unknown'}), so it cannot be cancelled from here. Stop it where it runs (the terminal, cron host or orchestrator that started it).`,
      );
    }
    if (launch.host !== this.#host) {
      throw new ConflictError(
        'run_on_other_host',
        `Run #${run.id} was started by the Meltano UI on ${launch.host}; cancel it there.`,
      );
    }
    if (launch.pid === null || !isOurProcess(launch.pid, launch.id)) {
      await this.#reconcileOne(launch.id);
      throw new ConflictError('run_process_gone', `The process of run #${run.id} is no longer running.`);
    }
    const pid = launch.pid;
    terminate(pid);
    await this.#launches.update(launch.id, { cancel_requested_at: this.#deps.now().toISOString() });
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (!isOurProcess(pid, launch.id)) return;
      killGroup(pid);
      const error = 'The process was killed by the Meltano UI after it did not stop within the grace period';
      void failKilledRun(this.#deps.db, launch.run_id, error, this.#deps.now()).catch(() => {});
    }, this.#deps.cancelGraceMs ?? 10_000);
    timer.unref();
    this.#timers.add(timer);
    return this.get(launch.id);
  }

  /** Stops pending SIGKILL timers (server shutdown); the runs themselves keep going. */
  close(): void {
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}
