import { execFile } from 'node:child_process';
import type { CoreContext } from '../core-context.js';
import { CoreError } from '../errors.js';
import { resolveMeltanoExecutable } from '../executor/meltano-executable.js';
import type { PyValue } from '../plugin-settings/python-value.js';
import { pyJsonDumps } from '../plugin-settings/python-value.js';
import { resolveProjectSettings } from '../plugin-settings/resolve-plugin-settings.js';
import type { Project } from '../project/project.types.js';
import { validateSingerState } from './singer-state.js';
import { createStateEditor, type StateEditOutcome, type StateOperation } from './state-edits.js';

/**
 * Where Meltano keeps state: `systemdb` (the default), else the scheme of `state_backend.uri`
 * (`s3`, `gs`, `azure`, `file`, …), resolved as Meltano resolves project settings.
 */
export function stateBackendScheme(project: Project, processEnv: NodeJS.ProcessEnv): string {
  const setting = resolveProjectSettings(project, { processEnv }, ['state_backend.uri']).find(
    (s) => s.name === 'state_backend.uri',
  );
  const value = setting?.expanded ? setting.expanded_value : setting?.value;
  if (typeof value !== 'string' || value.trim() === '' || value.trim() === 'systemdb') return 'systemdb';
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value.trim());
  // A path without a scheme is a local folder to Meltano (the `file` backend).
  return scheme?.[1]?.toLowerCase() ?? 'file';
}

/** `meltano state …` as the CLI takes it; `--force` skips the prompts of set, clear and copy (merge has none). */
export function stateCliArgs(
  operation: StateOperation,
  stateId: string,
  arg: { state?: PyValue; from?: string } = {},
): string[] {
  switch (operation) {
    case 'set':
      return ['state', 'set', '--force', '--', stateId, pyJsonDumps(arg.state ?? null)];
    case 'merge':
      return ['state', 'merge', '--', stateId, pyJsonDumps(arg.state ?? null)];
    case 'clear':
      return ['state', 'clear', '--force', '--', stateId];
    case 'copy':
      return ['state', 'copy', '--force', '--', arg.from ?? '', stateId];
  }
}

const CLI_TIMEOUT_MS = 120_000;
const MAX_OUTPUT = 64 * 1024;

export class StateCliError extends CoreError {
  constructor(message: string, output: string) {
    super('state_cli_failed', 502, message, { output });
  }
}

/** Runs the edit with the Meltano CLI, which knows how to reach S3, GCS, Azure or a folder. */
async function runStateCli(core: CoreContext, args: string[]): Promise<string> {
  return (await runStateCliStreams(core, args)).output;
}

/** `meltano state …`: its stdout alone (what `state get` prints) and stdout and stderr together. */
function runStateCliStreams(core: CoreContext, args: string[]): Promise<{ stdout: string; output: string }> {
  const executable = resolveMeltanoExecutable({
    setting: core.meltanoExecutable,
    root: core.root,
    sysDir: core.sysDir,
    env: core.env,
  });
  return new Promise((resolve, reject) => {
    execFile(
      executable.path,
      args,
      {
        cwd: core.root,
        env: { ...core.env, MELTANO_JOB_TRIGGER: 'ui', NO_COLOR: '1' },
        timeout: CLI_TIMEOUT_MS,
        maxBuffer: 4 * MAX_OUTPUT,
      },
      (err, stdout, stderr) => {
        const output = `${String(stdout)}${String(stderr)}`.slice(-MAX_OUTPUT);
        if (err) {
          const why = err.killed
            ? `did not finish within ${CLI_TIMEOUT_MS / 1000} s`
            : `failed (${err.code ?? err.message})`;
          reject(new StateCliError(`\`meltano ${args.slice(0, 2).join(' ')}\` ${why}`, output));
        } else resolve({ stdout: String(stdout), output });
      },
    );
  });
}

/** The state edits of the API: in the system DB directly, or through the CLI for other backends. */
export function createStateEdits(core: CoreContext) {
  const editor = createStateEditor(core.db, core.now);
  const viaCli = async (
    project: Project,
    operation: StateOperation,
    stateId: string,
    arg: { state?: PyValue; from?: string },
  ): Promise<StateEditOutcome | null> => {
    const backend = stateBackendScheme(project, core.env);
    if (backend === 'systemdb') return null;
    const output = await runStateCli(core, stateCliArgs(operation, stateId, arg));
    return {
      state_id: stateId,
      operation,
      backend,
      edit_run: null,
      cleared: null,
      state: null,
      message: `meltano state ${operation} ran against the ${backend} state backend`,
      output,
    };
  };
  return {
    async set(project: Project, stateId: string, state: PyValue) {
      const valid = validateSingerState(state);
      return (await viaCli(project, 'set', stateId, { state: valid })) ?? editor.set(stateId, valid);
    },
    async merge(project: Project, stateId: string, state: PyValue) {
      const valid = validateSingerState(state);
      return (await viaCli(project, 'merge', stateId, { state: valid })) ?? editor.merge(stateId, valid);
    },
    async clear(project: Project, stateId: string) {
      return (await viaCli(project, 'clear', stateId, {})) ?? editor.clear(stateId);
    },
    async copy(project: Project, stateId: string, from: string) {
      return (await viaCli(project, 'copy', stateId, { from })) ?? editor.copy(stateId, from);
    },
  };
}

export type StateEdits = ReturnType<typeof createStateEdits>;

/**
 * A state ID's state from a backend other than the system DB, through `meltano state get` (it prints
 * the partial state merged onto the completed one as JSON); null when the backend is the system DB
 * (read it there), `{ merged: null }` when the CLI says there is none.
 */
export async function stateViaCli(
  core: CoreContext,
  project: Project,
  stateId: string,
): Promise<{ backend: string; merged: unknown } | null> {
  const backend = stateBackendScheme(project, core.env);
  if (backend === 'systemdb') return null;
  const { stdout } = await runStateCliStreams(core, ['state', 'get', '--', stateId]);
  const text = stdout.trim();
  if (text === '' || text === 'null' || text === '{}') return { backend, merged: null };
  try {
    return { backend, merged: JSON.parse(text) };
  } catch {
    throw new StateCliError('`meltano state get` did not print JSON', text.slice(-MAX_OUTPUT));
  }
}
