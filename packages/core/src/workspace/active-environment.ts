import { CoreError, NotFoundError } from '../errors.js';
import type { WorkspaceSettingsRepository } from './workspace-settings.repository.js';

/**
 * Where the active environment came from. `process_env`: MELTANO_ENVIRONMENT in the UI's process
 * environment (the control is then locked); `ui`: chosen on the Settings page (stored for every
 * replica); `dotenv`: MELTANO_ENVIRONMENT in the project's `.env`; `default_environment`: meltano.yml.
 */
export type ActiveEnvironmentSource = 'ui' | 'process_env' | 'dotenv' | 'default_environment';

export interface ActiveEnvironment {
  environment: string | null;
  source: ActiveEnvironmentSource;
  /** Why it cannot be switched here, or null. */
  locked_reason: string | null;
  /** When and by whom it was last switched here (source `ui`). */
  updated_at: string | null;
  updated_by: string | null;
  /** A stored choice naming an environment the project no longer has (renamed or removed in Git): ignored. */
  ignored_choice: string | null;
}

/** What the active environment is resolved against: the loaded project, when it loads. */
export interface EnvironmentChoices {
  default_environment: string | null;
  /** The project's environment names; null while the project does not load (nothing is checked). */
  names: readonly string[] | null;
  /** MELTANO_ENVIRONMENT in the project's `.env` as last loaded (undefined: not there). */
  dotenv_environment?: string | undefined;
}

const KEY = 'active_environment';

/** How long a replica may show a switch made by another one (the issue asks for a couple of seconds). */
export const ACTIVE_ENVIRONMENT_CACHE_MS = 1000;

export class ActiveEnvironmentLockedError extends CoreError {
  constructor(reason: string) {
    super('active_environment_locked', 423, reason);
  }
}

// Meltano reads '' and 'null' as "no environment" (`--no-environment`).
const none = (v: string) => (v === '' || v === 'null' ? null : v);

/**
 * The workspace's active environment: MELTANO_ENVIRONMENT in the process environment (locked), else
 * the admins' choice stored in ui_workspace_settings, else `.env`'s MELTANO_ENVIRONMENT, else
 * default_environment. The stored choice is re-read at most every ACTIVE_ENVIRONMENT_CACHE_MS, and at
 * once after a switch made by this process.
 */
export function createActiveEnvironment(opts: {
  repo: WorkspaceSettingsRepository;
  processEnv: NodeJS.ProcessEnv;
  /** `.env` as read at boot: used while the project does not load. */
  dotenv: Record<string, string>;
  now?: () => number;
  cacheMs?: number;
}) {
  const now = opts.now ?? Date.now;
  const cacheMs = opts.cacheMs ?? ACTIVE_ENVIRONMENT_CACHE_MS;
  type Choice = { environment: string | null; updated_at: string; updated_by: string | null } | null;
  let cached: { choice: Choice; at: number } | null = null;

  const fromProcess = opts.processEnv.MELTANO_ENVIRONMENT;
  const lockedReason =
    fromProcess === undefined
      ? null
      : `MELTANO_ENVIRONMENT is set to '${fromProcess}' in the Meltano UI's process environment, which wins over a choice made here. Unset it and restart the UI to choose the environment here.`;

  async function storedChoice(): Promise<Choice> {
    if (cached !== null && now() - cached.at < cacheMs) return cached.choice;
    let choice: Choice;
    try {
      const row = await opts.repo.get(KEY);
      choice =
        row === null
          ? null
          : {
              environment: typeof row.value === 'string' ? row.value : null,
              updated_at: row.updated_at,
              updated_by: row.updated_by,
            };
    } catch (err) {
      // The database is down: the last choice read still holds; before any was read, this fails.
      if (cached !== null) return cached.choice;
      throw err;
    }
    cached = { choice, at: now() };
    return choice;
  }

  function initial(project: EnvironmentChoices): Pick<ActiveEnvironment, 'environment' | 'source'> {
    const fromDotenv = project.names === null ? opts.dotenv.MELTANO_ENVIRONMENT : project.dotenv_environment;
    if (fromDotenv !== undefined) return { environment: none(fromDotenv), source: 'dotenv' };
    return { environment: project.default_environment, source: 'default_environment' };
  }

  async function resolve(project: EnvironmentChoices): Promise<ActiveEnvironment> {
    const base = { locked_reason: lockedReason, updated_at: null, updated_by: null, ignored_choice: null };
    if (fromProcess !== undefined) return { ...base, environment: none(fromProcess), source: 'process_env' };
    const choice = await storedChoice();
    if (choice === null) return { ...base, ...initial(project) };
    const stale =
      choice.environment !== null && project.names !== null && !project.names.includes(choice.environment);
    if (stale) return { ...base, ...initial(project), ignored_choice: choice.environment };
    return {
      ...base,
      environment: choice.environment,
      source: 'ui',
      updated_at: choice.updated_at,
      updated_by: choice.updated_by,
    };
  }

  return {
    resolve,
    /**
     * For what only shows it (the header): while the system DB cannot be read and nothing was read
     * before, the layers outside it, with the reason. Runs and settings use resolve(), which fails then.
     */
    async resolveForDisplay(
      project: EnvironmentChoices,
    ): Promise<ActiveEnvironment & { unavailable: string | null }> {
      try {
        return { ...(await resolve(project)), unavailable: null };
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        const base = {
          locked_reason: lockedReason,
          updated_at: null,
          updated_by: null,
          ignored_choice: null,
        };
        const fallback =
          fromProcess !== undefined
            ? { environment: none(fromProcess), source: 'process_env' as const }
            : initial(project);
        return { ...base, ...fallback, unavailable: `The choice made here cannot be read: ${reason}` };
      }
    },
    /** Just the name (null: no environment). */
    async name(project: EnvironmentChoices): Promise<string | null> {
      return (await resolve(project)).environment;
    },
    /** Switches every pipeline of this workspace to `environment` (null: none). */
    async set(project: EnvironmentChoices, environment: string | null, updatedBy: string | null) {
      if (lockedReason !== null) throw new ActiveEnvironmentLockedError(lockedReason);
      if (environment !== null && project.names !== null && !project.names.includes(environment)) {
        throw new NotFoundError('environment', `No environment named '${environment}'`);
      }
      await opts.repo.set(KEY, environment, updatedBy);
      cached = null;
      return resolve(project);
    },
    /** After an environment is renamed here: a choice of the old name follows it. */
    async renamed(from: string, to: string) {
      const choice = await storedChoice();
      if (choice?.environment !== from) return;
      await opts.repo.set(KEY, to, choice.updated_by);
      cached = null;
    },
    /** The stored choice only (null when none was made here), for refusing to delete it. */
    async chosen(): Promise<string | null | undefined> {
      const choice = await storedChoice();
      return choice === null ? undefined : choice.environment;
    },
  };
}
export type ActiveEnvironmentService = ReturnType<typeof createActiveEnvironment>;

/** The project as the active environment is checked against. */
export function environmentChoices(
  project: {
    default_environment: string | null;
    environments: { name: string }[];
    dotenv: Record<string, string>;
  } | null,
): EnvironmentChoices {
  if (project === null) return { default_environment: null, names: null };
  return {
    default_environment: project.default_environment,
    names: project.environments.map((e) => e.name),
    dotenv_environment: project.dotenv.MELTANO_ENVIRONMENT,
  };
}
