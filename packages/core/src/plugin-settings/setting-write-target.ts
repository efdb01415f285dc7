import { type PluginSettingSource, SETTING_SOURCES, type SettingConflict } from './settings-resolver.js';

/** Stores `meltano config set` can write to, in Meltano's order. */
export type WritableStore = 'dotenv' | 'meltano_environment' | 'meltano_yml' | 'db';

/** Why a setting cannot be changed from here: its value comes from a layer no write of ours can beat. */
export interface SettingLock {
  source: PluginSettingSource;
  env_var: string | null;
  reason: string;
}

export interface SettingWriteTarget {
  /** Where a new value goes; null when the setting is locked. */
  store: WritableStore | null;
  locked: SettingLock | null;
}

export interface WriteTargetInput {
  source: PluginSettingSource;
  env_var: string | null;
  conflict: SettingConflict | null;
  /** The store Meltano's auto store picks (§2.4). */
  auto_store: WritableStore | null;
  writable_stores: WritableStore[];
  /** For the `env` layer: whether the variable is the process's own, or comes from an `env:` block. */
  env_from_process: boolean;
}

export const STORE_LABELS: Record<PluginSettingSource, string> = {
  config_override: 'a command-line override',
  env: 'the environment',
  dotenv: '`.env`',
  meltano_environment: 'the active environment in `meltano.yml`',
  meltano_yml: '`meltano.yml`',
  db: 'the system database',
  inherited: 'the parent plugin',
  default: 'the default',
};

const rank = (source: PluginSettingSource) => SETTING_SOURCES.indexOf(source);

/**
 * Where a UI write of the setting goes so that it wins: Meltano's auto store, unless the value currently
 * comes from a writable store that outranks it (a non-secret in `.env`), which is then edited in place.
 * A value from the process environment or a command-line override, or, when `project_readonly` allows only
 * the system database, from any project file, cannot be beaten: the setting is locked, with the reason.
 */
export function settingWriteTarget(input: WriteTargetInput): SettingWriteTarget {
  const source = input.conflict?.source ?? input.source;
  const lock = (reason: string): SettingWriteTarget => ({
    store: null,
    locked: { source, env_var: input.env_var, reason },
  });
  if (source === 'config_override') {
    return lock('It is set by a command-line override, which wins over every store');
  }
  if (source === 'env') {
    if (input.conflict) {
      return lock(`It is set by several environment variables at once (${input.conflict.keys.join(', ')})`);
    }
    return lock(
      input.env_from_process
        ? `It is set by the environment variable ${input.env_var} of the UI's process, which wins over \`.env\`, \`meltano.yml\` and the system database`
        : `It is set by ${input.env_var} in an \`env:\` block of \`meltano.yml\`, which wins over the setting's own stores`,
    );
  }
  const auto = input.auto_store;
  if (auto === null) {
    return lock('project_readonly is on and there is no system database to write to');
  }
  if (rank(source) < rank(auto)) {
    if ((input.writable_stores as PluginSettingSource[]).includes(source)) {
      return { store: source as WritableStore, locked: null };
    }
    return lock(
      `project_readonly is on: only the system database can be written, and the value in ${STORE_LABELS[source]} wins over it`,
    );
  }
  return { store: auto, locked: null };
}
