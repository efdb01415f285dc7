import os from 'node:os';
import type { SystemDatabase } from '../db/system-database.js';
import { ConflictError, NotFoundError } from '../errors.js';
import type { Project } from '../project/project.types.js';
import type { ProjectStore } from '../project/project-store.js';
import type { RunView } from '../runs/run.types.js';
import { CancelHandoff } from './cancel-handoff.js';
import type { LaunchRow, LaunchView } from './launch.types.js';
import { LaunchRunner, type LaunchRunnerDeps } from './launch-runner.js';
import { launchView } from './launches.repository.js';
import { type PipelineKind, pipelineCommand, pipelineOwning } from './pipeline-command.js';
import { isOurProcess } from './process-control.js';
import { ReplicaRegistry } from './replica-registry.js';
import { offeredRunOptions, type RunOptions, type RunTarget } from './run-options.js';

export interface LauncherDeps extends LaunchRunnerDeps {
  db: SystemDatabase;
  projectStore: ProjectStore;
  /** The workspace's active environment (`--environment` of the runs started here). */
  activeEnvironment(project: Project): Promise<string | null> | string | null;
  /** How long a run may take to stop after SIGTERM before its process group is killed. */
  cancelGraceMs?: number;
  /** Heartbeat and liveness of this server process among the replicas sharing the database. */
  replicaTimings?: { heartbeatMs?: number; deadAfterMs?: number; pollMs?: number };
}

/** Who acts on a cancel: this replica (it owns the run, or took it over), or the replica that owns it. */
export interface CancelOutcome {
  launch: LaunchView;
  handled_by: 'this_replica' | 'owner_replica';
  owner: { id: string; host: string };
  /** This replica took the run over from a replica gone from this host. */
  adopted?: boolean;
}

const PIPELINE_KINDS = ['schedule', 'job'] as const;

/** Starts, watches and cancels the pipeline runs this UI launches with the Meltano CLI. */
export class PipelineLauncher {
  readonly #deps: LauncherDeps;
  readonly #runner: LaunchRunner;
  /** State IDs this process is starting right now: two clicks in one millisecond never both pass. */
  readonly #starting = new Set<string>();
  readonly #registry: ReplicaRegistry;
  readonly #handoff: CancelHandoff;

  constructor(deps: LauncherDeps) {
    this.#deps = deps;
    const host = deps.host ?? os.hostname();
    this.#registry = new ReplicaRegistry({ tables: deps.tables, host, ...deps.replicaTimings });
    this.#runner = new LaunchRunner({ ...deps, host, replica: this.#registry });
    this.#handoff = new CancelHandoff({
      db: deps.db,
      runner: this.#runner,
      registry: this.#registry,
      now: deps.now,
      cancelGraceMs: deps.cancelGraceMs ?? 10_000,
      ...(deps.replicaTimings?.pollMs === undefined ? {} : { pollMs: deps.replicaTimings.pollMs }),
    });
  }

  /** This server process among the replicas sharing the system database. */
  get replica(): { id: string; host: string } {
    return { id: this.#registry.id, host: this.#registry.host };
  }

  /**
   * Joins the replicas: heartbeat, cancel requests from other replicas (NOTIFY and polling), and
   * takeover of launches left by replicas gone from this host. Then records the end of runs that
   * finished while this server was down.
   */
  async open(): Promise<void> {
    let beats = 0;
    this.#registry.start(async () => {
      // Orphans are looked for at the first beat and every few after (liveness moves in seconds).
      if (beats++ % 3 === 0) await this.#handoff.adoptOrphans();
    });
    this.#handoff.start();
    await this.reconcile();
  }

  /**
   * Runs a pipeline now with `opts.options` (each must exist in the Meltano version found, else 400),
   * recorded with the launch; `retryOfRunId` marks it as the retry of that run.
   */
  async start(
    kind: PipelineKind,
    name: string,
    opts: { options?: RunOptions | null; retryOfRunId?: number } = {},
  ): Promise<LaunchView> {
    const snapshot = await this.#deps.projectStore.get();
    if (!snapshot.ok) throw snapshot.error;
    const project = snapshot.project;
    const environment = await this.#deps.activeEnvironment(project);
    const executable = await this.#runner.executable();
    const command = pipelineCommand(project, kind, name, {
      version: executable.version,
      environment,
      options: opts.options ?? null,
    });
    const busy = command.stateIds.filter((id) => this.#starting.has(id));
    if (busy.length > 0) throw this.#alreadyStarting(name);
    for (const id of command.stateIds) this.#starting.add(id);
    try {
      await this.#refuseIfRunning(name, command.stateIds);
      const id = await this.#runner.launch(
        { ...command, lockKeys: command.stateIds, retryOfRunId: opts.retryOfRunId ?? null },
        executable.path,
        environment,
        () => this.#alreadyStarting(name),
      );
      return await this.get(id);
    } finally {
      for (const id of command.stateIds) this.#starting.delete(id);
    }
  }

  /**
   * Runs a failed or presumed-dead run's pipeline again with the same options: the schedule or job
   * this UI started it as, else the schedule or job whose state IDs hold the run's (a run started
   * elsewhere has no options to repeat).
   */
  async retry(run: RunView): Promise<LaunchView> {
    if (run.status !== 'failed' && run.status !== 'stale') {
      throw new ConflictError(
        'run_not_retryable',
        `Run #${run.id} ${run.status === 'running' ? 'is still running' : 'succeeded'}; only a failed or presumed-dead run can be retried.`,
      );
    }
    const launch = await this.forRun(run);
    if (launch) {
      return this.start(launch.pipeline_kind, launch.pipeline_name, {
        options: launch.options,
        retryOfRunId: run.id,
      });
    }
    const snapshot = await this.#deps.projectStore.get();
    if (!snapshot.ok) throw snapshot.error;
    const environment = await this.#deps.activeEnvironment(snapshot.project);
    const owner = pipelineOwning(snapshot.project, run.state_id, environment);
    if (owner === null) {
      throw new ConflictError(
        'run_pipeline_unknown',
        `No schedule or job of this project records state ID '${run.state_id}', so run #${run.id} cannot be retried from here. Run it where it was started (it was started by ${run.trigger ?? 'an unknown trigger'}).`,
      );
    }
    return this.start(owner.kind, owner.name, { retryOfRunId: run.id });
  }

  /**
   * The run options the Meltano CLI found here has for a pipeline: an ELT schedule's go to
   * `meltano elt`, a job's (and a job schedule's) to `meltano run`. None while its version is unknown.
   */
  async offeredOptions(kind: PipelineKind, name: string) {
    const snapshot = await this.#deps.projectStore.get();
    if (!snapshot.ok) throw snapshot.error;
    const project = snapshot.project;
    let target: RunTarget = 'run';
    if (kind === 'schedule') {
      const schedule = project.schedules.find((s) => s.name === name);
      if (!schedule) throw new NotFoundError('schedule', `No schedule named '${name}'`);
      if (schedule.kind === 'elt') target = 'elt';
    } else if (!project.jobs.some((j) => j.name === name)) {
      throw new NotFoundError('job', `No job named '${name}'`);
    }
    const { version } = await this.#runner.executable();
    return {
      meltano_version: version?.text ?? null,
      command: target,
      options: offeredRunOptions(version, target),
    };
  }

  /** The launches that retried this run, oldest first, each with the run Meltano wrote for it (once it has). */
  async retriesOf(run: RunView): Promise<{ launch: LaunchView; run: RunView | null }[]> {
    const launches = (await this.#runner.launches.retriesOf(run.id)).map(launchView);
    return Promise.all(
      launches.map(async (launch) => {
        const since = new Date(Date.parse(launch.created_at) - 2000).toISOString();
        const page = await this.#deps.db.runs.list(
          { state_ids: launch.state_ids, since },
          { cursor: null, limit: 20 },
        );
        // The oldest of its runs: a job's first block set.
        const mine = page.items.filter((r) => r.run_id === launch.run_id);
        return { launch, run: mine.at(-1) ?? null };
      }),
    );
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

  /**
   * Cancels a run this UI started. The replica that owns it sends SIGTERM (Meltano ends the run as
   * FAIL), then SIGKILL after the grace: this one when it owns the run, or takes it over from a replica
   * gone from this host; otherwise the request is recorded for the owning replica, which acts on it
   * within about a second.
   */
  async cancelRun(run: RunView, requestedBy: string | null = null): Promise<CancelOutcome> {
    if (run.status === 'success' || run.status === 'failed') {
      throw new ConflictError('run_finished', `Run #${run.id} has already finished (${run.status}).`);
    }
    const found = await this.forRun(run);
    if (!found) {
      throw new ConflictError(
        'run_not_started_here',
        `Run #${run.id} was not started by this Meltano UI (trigger: ${run.trigger ?? 'unknown'}), so it cannot be cancelled from here. Stop it where it runs (the terminal, cron host or orchestrator that started it).`,
      );
    }
    const me = { id: this.#registry.id, host: this.#registry.host };
    for (let attempt = 0; ; attempt++) {
      const row = await this.#runner.launches.get(found.id);
      if (row === null) throw new ConflictError('run_process_gone', `The launch of run #${run.id} is gone.`);
      const owner = row.replica_id;
      if (owner === null || owner === me.id) {
        // Launches from before replicas were recorded keep the old rule: only their host acts.
        if (row.host !== this.#runner.host) {
          throw new ConflictError(
            'run_on_other_host',
            `Run #${run.id} was started by the Meltano UI on ${row.host}; cancel it there.`,
          );
        }
        await this.#stopHere(run, row, requestedBy);
        return { launch: await this.get(row.id), handled_by: 'this_replica', owner: me };
      }
      const { replica, alive } = await this.#registry.liveness(owner);
      if (alive) {
        if (!(await this.#handoff.request(row, requestedBy))) {
          throw new ConflictError('run_process_gone', `The process of run #${run.id} is no longer running.`);
        }
        return {
          launch: await this.get(row.id),
          handled_by: 'owner_replica',
          owner: { id: owner, host: replica?.host ?? row.host },
        };
      }
      if (row.host === this.#runner.host && row.pid !== null && isOurProcess(row.pid, row.id)) {
        // Two replicas adopting at once: the loser reads the row again and hands the request over.
        if (!(await this.#handoff.adopt(row)) && attempt === 0) continue;
        await this.#stopHere(run, { ...row, replica_id: me.id }, requestedBy);
        return { launch: await this.get(row.id), handled_by: 'this_replica', owner: me, adopted: true };
      }
      if (row.host === this.#runner.host) {
        await this.#runner.reconcileOne(row.id);
        throw new ConflictError('run_process_gone', `The process of run #${run.id} is no longer running.`);
      }
      const seen = replica?.seen_at ?? null;
      throw new ConflictError(
        'run_owner_gone',
        `Run #${run.id} was started by the Meltano UI server on ${row.host}, which is gone (last seen ${seen ?? 'never'}). Only a server on ${row.host} can stop its process: start the Meltano UI there again (it takes the run over), or stop the process on that host.`,
        { host: row.host, replica_id: owner, last_seen_at: seen },
      );
    }
  }

  /** How many pipeline runs this process launched are starting or running (a metrics gauge). */
  async activeHere(): Promise<number> {
    // Never the reason a SQLite system DB gets created: with no database nothing was launched.
    if (!(await this.#deps.tables.databaseExists())) return 0;
    const active = await this.#runner.launches.active();
    return active.filter(
      (row) =>
        (row.replica_id === this.#registry.id ||
          (row.replica_id === null && row.host === this.#runner.host)) &&
        (PIPELINE_KINDS as readonly string[]).includes(row.pipeline_kind),
    ).length;
  }

  async #stopHere(run: RunView, row: LaunchRow, requestedBy: string | null): Promise<void> {
    if (row.pid === null || !isOurProcess(row.pid, row.id)) {
      await this.#runner.reconcileOne(row.id);
      throw new ConflictError('run_process_gone', `The process of run #${run.id} is no longer running.`);
    }
    await this.#handoff.stop(row, requestedBy);
  }

  /**
   * Stops the heartbeat, cancel polling and pending SIGKILL timers (server shutdown); the runs keep
   * going. `deregister: false` leaves this replica's row to go stale, as a killed process would.
   */
  async close(opts: { deregister?: boolean } = {}): Promise<void> {
    await this.#handoff.close();
    await this.#registry.close(opts);
  }
}
