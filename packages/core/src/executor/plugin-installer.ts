import { ConflictError } from '../errors.js';
import { type LogChunk, readLogChunk } from '../logs/read-log.js';
import type { ProjectStore } from '../project/project-store.js';
import { requirePluginType } from '../project-writes/plugin-entry.js';
import { installCommand } from './install-command.js';
import type { LaunchRow } from './launch.types.js';
import { LaunchRunner, type LaunchRunnerDeps } from './launch-runner.js';

export type InstallStatus = 'running' | 'success' | 'failed';

/** A `meltano install` this UI started. */
export interface InstallView {
  id: string;
  plugin_type: string;
  plugin_name: string;
  /** The command, executable first. */
  argv: string[];
  status: InstallStatus;
  exit_code: number | null;
  signal: string | null;
  error: string | null;
  created_at: string;
  ended_at: string | null;
}

/** A piece of what the install printed, with its status as it was just before the read. */
export interface InstallOutput extends LogChunk {
  status: InstallStatus;
}

export interface InstallerDeps extends LaunchRunnerDeps {
  projectStore: ProjectStore;
}

const INSTALL = ['install'] as const;

function installView(row: LaunchRow): InstallView {
  const [type = '', name = ''] = row.pipeline_name.split('/');
  const running = row.status === 'starting' || row.status === 'running';
  return {
    id: row.id,
    plugin_type: type,
    plugin_name: name,
    argv: [row.executable, ...(JSON.parse(row.argv) as string[])],
    status: running ? 'running' : row.status === 'exited' && row.exit_code === 0 ? 'success' : 'failed',
    exit_code: row.exit_code,
    signal: row.signal,
    error: row.error,
    created_at: row.created_at,
    ended_at: row.ended_at,
  };
}

/**
 * Installs plugins (their venvs) with the project's Meltano CLI, through the same detached launches as
 * pipeline runs: the output is captured to a file that can be read while it grows.
 */
export class PluginInstaller {
  readonly #deps: InstallerDeps;
  readonly #runner: LaunchRunner;

  constructor(deps: InstallerDeps) {
    this.#deps = deps;
    this.#runner = new LaunchRunner(deps);
  }

  /** Starts `meltano install` of one plugin; 409 `plugin_installing` while an install of it runs. */
  async start(type: string, name: string): Promise<InstallView> {
    const pluginType = requirePluginType(type);
    // Fresh: a plugin added a moment ago (by the UI or the CLI) is installed rather than 404.
    const snapshot = await this.#deps.projectStore.get({ fresh: true });
    if (!snapshot.ok) throw snapshot.error;
    const executable = await this.#runner.executable();
    const command = installCommand(snapshot.project, pluginType, name, executable.version);
    // Meltano reads no environment for installs unless one is given explicitly.
    const id = await this.#runner.launch(
      command,
      executable.path,
      null,
      (holders) =>
        new ConflictError('plugin_installing', `'${name}' is being installed already`, {
          install_id: holders[0],
        }),
    );
    return this.get(id);
  }

  async get(id: string): Promise<InstallView> {
    return installView(await this.#runner.row(id, INSTALL));
  }

  /** What the install printed from byte `offset` on (poll with the previous chunk's offset + length). */
  async output(id: string, offset = 0): Promise<InstallOutput> {
    const row = await this.#runner.row(id, INSTALL);
    // The status is read first: once it says ended, the chunk holds everything up to the end.
    const { status } = installView(row);
    return { ...(await readLaunchOutput(row, offset)), status };
  }
}

/** What a launch printed from byte `offset` on; nothing yet when its capture file is not there. */
export async function readLaunchOutput(row: LaunchRow, offset: number): Promise<LogChunk> {
  try {
    return await readLogChunk(row.capture_file, { offset });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    return { offset: 0, length: 0, size: 0, text: '', eof: true };
  }
}
