import type { SystemDatabase } from '../db/system-database.js';
import { ConflictError } from '../errors.js';
import type { Project } from '../project/project.types.js';
import type { ProjectStore } from '../project/project-store.js';
import type { RunView } from '../runs/run.types.js';
import type { LaunchView } from './launch.types.js';
import { LaunchRunner, type LaunchRunnerDeps } from './launch-runner.js';
import { launchView } from './launches.repository.js';
import { type PipelineKind, pipelineCommand } from './pipeline-command.js';
import { isOurProcess, killGroup, terminate } from './process-control.js';
import { failKilledRun } from './run-row-writes.js';

export interface LauncherDeps extends LaunchRunnerDeps {
  db: SystemDatabase;
  projectStore: ProjectStore;
  /** The workspace's active environment (`--environment` of the runs started here). */
  activeEnvironment(project: Project): Promise<string | null> | string | null;
  /** How long a run may take to stop after SIGTERM before its process group is killed. */
  cancelGraceMs?: number;
}

const PIPELINE_KINDS = ['schedule', 'job'] as const;

/** Starts, watches and cancels the pipeline runs this UI launches with the Meltano CLI. */
export class PipelineLauncher {
  readonly #deps: LauncherDeps;
  readonly #runner: LaunchRunner;
  /** State IDs this process is starting right now: two clicks in one millisecond never both pass. */
  readonly #starting = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();

  constructor(deps: LauncherDeps) {
    this.#deps = deps;
    this.#runner = new LaunchRunner(deps);
  }

  async start(kind: PipelineKind, name: string): Promise<LaunchView> {
    const snapshot = await this.#deps.projectStore.get();
    if (!snapshot.ok) throw snapshot.error;
    const project = snapshot.project;
    const environment = await this.#deps.activeEnvironment(project);
    const executable = await this.#runner.executable();
    const command = pipelineCommand(project, kind, name, { version: executable.version, environment });
    const busy = command.stateIds.filter((id) => this.#starting.has(id));
    if (busy.length > 0) throw this.#alreadyStarting(name);
    for (const id of command.stateIds) this.#starting.add(id);
    try {
      await this.#refuseIfRunning(name, command.stateIds);
      const id = await this.#runner.launch(
        { ...command, lockKeys: command.stateIds },
        executable.path,
        environment,
        () => this.#alreadyStarting(name),
      );
      return await this.get(id);
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

  /** Records the end of runs (and installs) that finished while this server was down. */
  reconcile(): Promise<void> {
    return this.#runner.reconcile();
  }

  async get(id: string): Promise<LaunchView> {
    return launchView(await this.#runner.row(id, PIPELINE_KINDS));
  }

  /** The last lines the Meltano CLI printed (its own log file may not exist when it fails early). */
  async output(id: string, lines: number) {
    return this.#runner.tail(await this.#runner.row(id, PIPELINE_KINDS), lines);
  }

  /** The launch that produced a run: by the run ID the UI gave Meltano, else by state ID and time. */
  async forRun(run: RunView): Promise<LaunchView | null> {
    if (run.run_id !== null) {
      const byId = await this.#runner.launches.byRunId(run.run_id);
      if (byId) return launchView(byId);
    }
    if (run.trigger !== 'ui' || run.started_at === null) return null;
    const started = Date.parse(run.started_at);
    for (const row of await this.#runner.launches.recentForStateId(run.state_id, 20)) {
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
    if (launch.host !== this.#runner.host) {
      throw new ConflictError(
        'run_on_other_host',
        `Run #${run.id} was started by the Meltano UI on ${launch.host}; cancel it there.`,
      );
    }
    if (launch.pid === null || !isOurProcess(launch.pid, launch.id)) {
      await this.#runner.reconcileOne(launch.id);
      throw new ConflictError('run_process_gone', `The process of run #${run.id} is no longer running.`);
    }
    const pid = launch.pid;
    terminate(pid);
    await this.#runner.launches.update(launch.id, { cancel_requested_at: this.#deps.now().toISOString() });
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
