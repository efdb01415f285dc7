import { ConflictError } from '../errors.js';
import type { LaunchRow } from './launch.types.js';
import { LaunchRunner, type LaunchRunnerDeps } from './launch-runner.js';
import type { InstallOutput } from './plugin-installer.js';
import { readLaunchOutput } from './plugin-installer.js';
import {
  refusalInOutput,
  refusalMessage,
  type UpgradeRefusal,
  upgradeCommand,
  upgradeRefusal,
} from './upgrade-command.js';

/** `refused`: Meltano ended without upgrading its package (inside Docker, installed from source, …). */
export type UpgradeStatus = 'running' | 'success' | 'failed' | 'refused';

/** A `meltano upgrade` this UI started. */
export interface UpgradeView {
  id: string;
  /** The command, executable first. */
  argv: string[];
  status: UpgradeStatus;
  exit_code: number | null;
  signal: string | null;
  error: string | null;
  /** Meltano's reason for not upgrading its package (status `refused`). */
  refusal: string | null;
  created_at: string;
  ended_at: string | null;
}

export interface UpgradeOutput extends Omit<InstallOutput, 'status'> {
  status: UpgradeStatus;
}

export interface UpgraderDeps extends LaunchRunnerDeps {
  /** The file whose presence means "inside Docker" (Meltano looks for `/.dockerenv`). */
  containerMarker?: string;
}

const UPGRADE = ['upgrade'] as const;

/**
 * Runs `meltano upgrade` with the project's Meltano CLI as a detached launch, like installs: recorded
 * in ui_launches (so every replica sees it and only one runs), its output readable while it grows.
 */
export class MeltanoUpgrader {
  readonly #deps: UpgraderDeps;
  readonly #runner: LaunchRunner;

  constructor(deps: UpgraderDeps) {
    this.#deps = deps;
    this.#runner = new LaunchRunner(deps);
  }

  /** Why an upgrade would be refused here before it starts (Meltano's own checks), or null. */
  refusal(): UpgradeRefusal | null {
    return upgradeRefusal(
      this.#deps.env,
      this.#deps.containerMarker ? { containerMarker: this.#deps.containerMarker } : {},
    );
  }

  /** Starts `meltano upgrade`: 409 `upgrade_refused` where Meltano refuses, `upgrade_running` during one. */
  async start(): Promise<UpgradeView> {
    const refusal = this.refusal();
    if (refusal) throw new ConflictError('upgrade_refused', refusalMessage(refusal), { ...refusal });
    const executable = await this.#runner.executable();
    const id = await this.#runner.launch(
      upgradeCommand(),
      executable.path,
      null,
      (holders) =>
        new ConflictError('upgrade_running', 'Meltano is being upgraded already', { upgrade_id: holders[0] }),
    );
    return this.get(id);
  }

  async get(id: string): Promise<UpgradeView> {
    return this.#view(await this.#runner.row(id, UPGRADE));
  }

  /** The newest upgrade started here (by any replica), or null. */
  async latest(): Promise<UpgradeView | null> {
    if (!(await this.#deps.tables.databaseExists())) return null;
    const row = await this.#runner.launches.latestOfKind('upgrade');
    if (!row) return null;
    return this.get(row.id);
  }

  /** What the upgrade printed from byte `offset` on (poll with the previous chunk's offset + length). */
  async output(id: string, offset = 0): Promise<UpgradeOutput> {
    const row = await this.#runner.row(id, UPGRADE);
    const { status } = await this.#view(row);
    return { ...(await readLaunchOutput(row, offset)), status };
  }

  async #view(row: LaunchRow): Promise<UpgradeView> {
    const running = row.status === 'starting' || row.status === 'running';
    let status: UpgradeStatus = running
      ? 'running'
      : row.status === 'exited' && row.exit_code === 0
        ? 'success'
        : 'failed';
    let refusal: string | null = null;
    if (status === 'success') {
      // Meltano says why it did not upgrade and still exits 0.
      const tail = await this.#runner.tail(row, 40);
      const refused = refusalInOutput(tail.text);
      if (refused) {
        status = 'refused';
        refusal = refusalMessage(refused);
      }
    }
    return {
      id: row.id,
      argv: [row.executable, ...(JSON.parse(row.argv) as string[])],
      status,
      exit_code: row.exit_code,
      signal: row.signal,
      error: row.error,
      refusal,
      created_at: row.created_at,
      ended_at: row.ended_at,
    };
  }
}
