import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { CoreError, NotFoundError } from '../errors.js';
import { readLogTail } from '../logs/read-log.js';
import type { UiTables } from '../ui-db/migrate-ui-tables.js';
import type { LaunchRow } from './launch.types.js';
import { createLaunchesRepository, LockHeldError } from './launches.repository.js';
import { resolveMeltanoExecutable } from './meltano-executable.js';
import { type MeltanoVersion, meltanoVersion } from './meltano-version.js';
import { isOurProcess, readExitCode, spawnDetached } from './process-control.js';
import type { ReplicaRegistry } from './replica-registry.js';
import type { RunOptions } from './run-options.js';

/** A Meltano CLI command to run detached and record in `ui_launches`. */
export interface LaunchCommand {
  /** `schedule`, `job` or `install`. */
  kind: string;
  name: string;
  args: string[];
  env: Record<string, string>;
  /** The state IDs its runs write (none for an install). */
  stateIds: string[];
  /** Held in `ui_launch_locks` while it runs: a second launch needing one of them is refused. */
  lockKeys: string[];
  /** Run options set (recorded; their flags are in `args` already). */
  options?: RunOptions;
  /** The runs.id of the failed run this launch retries. */
  retryOfRunId?: number | null;
}

export interface LaunchRunnerDeps {
  root: string;
  sysDir: string;
  tables: UiTables;
  executableSetting: string | null;
  env: NodeJS.ProcessEnv;
  /** A `--database-uri` given to the UI: the commands it starts must use the same database. */
  databaseUriOverride: string | null;
  now: () => Date;
  host?: string;
  /** This server process's row in `ui_replicas`: launches name it as their owner (installs have none). */
  replica?: ReplicaRegistry;
  /** How long `launch` waits to report a command that fails at once (not found, bad arguments). */
  earlyExitWaitMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts Meltano CLI commands detached under the exit-code wrapper, output captured to a file, and keeps
 * their `ui_launches` rows true: ended when the process exits, or on the next look after a restart.
 */
export class LaunchRunner {
  readonly #deps: LaunchRunnerDeps;
  readonly launches;
  readonly host: string;
  /** Launches whose process exit this runner hears about (it spawned them). */
  readonly #children = new Set<string>();

  constructor(deps: LaunchRunnerDeps) {
    this.#deps = deps;
    this.launches = createLaunchesRepository(deps.tables);
    this.host = deps.host ?? os.hostname();
  }

  files(id: string) {
    const dir = path.join(this.#deps.sysDir, 'run', 'ui', 'launches');
    return { capture: path.join(dir, `${id}.log`), exit: path.join(dir, `${id}.exit`) };
  }

  async executable(): Promise<{ path: string; version: MeltanoVersion | null }> {
    const executable = resolveMeltanoExecutable({
      setting: this.#deps.executableSetting,
      root: this.#deps.root,
      sysDir: this.#deps.sysDir,
      env: this.#deps.env,
    });
    return {
      path: executable.path,
      version: await meltanoVersion(executable.path, this.#deps.env, this.#deps.root),
    };
  }

  /**
   * Records and starts the command, returning the launch id. The error `busy` makes is thrown when live
   * launches (their ids given) hold one of its lock keys.
   */
  async launch(
    command: LaunchCommand,
    executable: string,
    environment: string | null,
    busy: (holders: string[]) => Error,
  ): Promise<string> {
    const id = randomUUID();
    const runId = randomUUID();
    const files = this.files(id);
    const replica = this.#deps.replica;
    await replica?.heartbeat();
    const row: LaunchRow = {
      id,
      pipeline_kind: command.kind,
      pipeline_name: command.name,
      state_ids: JSON.stringify(command.stateIds),
      run_id: runId,
      executable,
      argv: JSON.stringify(command.args),
      host: this.host,
      pid: null,
      status: 'starting',
      exit_code: null,
      signal: null,
      error: null,
      capture_file: files.capture,
      created_at: this.#deps.now().toISOString(),
      ended_at: null,
      cancel_requested_at: null,
      replica_id: replica?.id ?? null,
      cancel_requested_by: null,
      cancel_requested_via: null,
      cancel_acted_at: null,
      cancel_acted_by: null,
      options:
        command.options && Object.keys(command.options).length > 0 ? JSON.stringify(command.options) : null,
      retry_of_run_id: command.retryOfRunId ?? null,
    };
    await this.#createWithLocks(row, command.lockKeys, busy);
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
      this.#children.add(id);
      started.child.once('exit', (code, signal) => {
        this.#children.delete(id);
        void this.#finish(id, code, signal);
      });
    } catch (err) {
      const message = `Could not start ${executable}: ${(err as Error).message}`;
      await this.launches.finish(id, {
        status: 'failed_to_start',
        error: message,
        ended_at: this.#deps.now().toISOString(),
      });
      throw new CoreError('meltano_failed_to_start', 503, message, { launch_id: id });
    }
    await this.launches.update(id, { pid, status: 'running' });
    // A command that fails at once (bad setting, refused run) is reported in the caller's response.
    const deadline = Date.now() + (this.#deps.earlyExitWaitMs ?? 1000);
    while (Date.now() < deadline) {
      const current = await this.launches.get(id);
      if (current?.status === 'exited') break;
      await sleep(100);
    }
    return id;
  }

  /** Whether this runner spawned the launch and hears its exit (false for ones taken over). */
  watches(id: string): boolean {
    return this.#children.has(id);
  }

  async #createWithLocks(row: LaunchRow, lockKeys: string[], busy: (holders: string[]) => Error) {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.launches.create(row, lockKeys);
        return;
      } catch (err) {
        if (!(err instanceof LockHeldError)) throw err;
        // A lock left by a launch whose process is gone (server killed mid-run) is released, once.
        const released = await Promise.all(err.holders.map((holder) => this.reconcileOne(holder)));
        if (attempt > 0 || !released.every(Boolean)) throw busy(err.holders);
      }
    }
  }

  async #finish(id: string, code: number | null, signal: NodeJS.Signals | null) {
    try {
      const exitCode = readExitCode(this.files(id).exit) ?? code;
      await this.launches.finish(id, {
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
  async reconcileOne(id: string): Promise<boolean> {
    const row = await this.launches.get(id);
    if (!row) return true;
    if (row.status !== 'starting' && row.status !== 'running') return true;
    if (row.host !== this.host) return false;
    if (row.pid !== null && isOurProcess(row.pid, row.id)) return false;
    if (row.pid === null && Date.now() - Date.parse(row.created_at) < 60_000) return false;
    const exitCode = readExitCode(this.files(id).exit);
    await this.launches.finish(id, {
      status: row.pid === null ? 'failed_to_start' : 'exited',
      exit_code: exitCode,
      error: row.pid === null ? 'The Meltano UI stopped before the run started' : row.error,
      ended_at: this.#deps.now().toISOString(),
    });
    return true;
  }

  /** Records the end of commands that finished while this server was down. */
  async reconcile(): Promise<void> {
    // No system DB yet: no launch was ever recorded, and booting must not create the file.
    if (!(await this.#deps.tables.databaseExists())) return;
    for (const row of await this.launches.active()) await this.reconcileOne(row.id);
  }

  /** The launch, brought up to date, if it is one of `kinds`; otherwise 404. */
  async row(id: string, kinds: readonly string[]): Promise<LaunchRow> {
    await this.reconcileOne(id);
    const row = await this.launches.get(id);
    if (!row || !kinds.includes(row.pipeline_kind))
      throw new NotFoundError('launch', `No launch with id ${id}`);
    return row;
  }

  /** The last lines the Meltano CLI printed (its own log file may not exist when it fails early). */
  async tail(row: LaunchRow, lines: number) {
    try {
      return await readLogTail(row.capture_file, { lines });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT')
        return { offset: 0, length: 0, size: 0, text: '', eof: true, lines: 0 };
      throw err;
    }
  }
}
