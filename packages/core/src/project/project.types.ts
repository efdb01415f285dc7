import type { DotenvInterpolation } from './dotenv.js';
/**
 * The loaded, merged view of a Meltano project. Property names follow meltano.yml's own (snake_case),
 * because they are Meltano's vocabulary and reach the API unchanged.
 */

export const PLUGIN_TYPES = [
  'extractors',
  'loaders',
  'transforms',
  'orchestrators',
  'transformers',
  'files',
  'utilities',
  'mappers',
  // Meltano 1.x only; still found in old projects and loaded as they are.
  'models',
  'dashboards',
] as const;
export type KnownPluginType = (typeof PLUGIN_TYPES)[number];
/** The types `meltano add` accepts since Meltano 2.0 (no 1.x `models`/`dashboards`). */
export const ADDABLE_PLUGIN_TYPES = [
  'extractors',
  'loaders',
  'transforms',
  'orchestrators',
  'transformers',
  'files',
  'utilities',
  'mappers',
] as const satisfies readonly KnownPluginType[];
export type AddablePluginType = (typeof ADDABLE_PLUGIN_TYPES)[number];
/** A `plugins:` key. Unknown keys (typos, future types) are loaded under their own name rather than dropped. */
export type PluginType = KnownPluginType | (string & {});

/** One `settings:` item, merged from lock file, parent plugin and meltano.yml. */
export interface SettingDefinition {
  name: string;
  kind: string | null;
  label: string | null;
  description: string | null;
  /** The default value (`value:` in the definition). */
  value: unknown;
  sensitive: boolean;
  hidden: boolean;
  env: string | null;
  aliases: string[];
  options: { label: string; value: unknown }[];
}

export interface ProjectPlugin {
  type: PluginType;
  name: string;
  variant: string | null;
  namespace: string | null;
  inherit_from: string | null;
  /** The project plugin this one inherits from, when `inherit_from` names one (else a hub plugin or none). */
  parent: string | null;
  pip_url: string | null;
  executable: string | null;
  label: string | null;
  description: string | null;
  docs: string | null;
  logo_url: string | null;
  capabilities: string[];
  /** The plugin's own `config` from meltano.yml, as written (nested, not expanded). */
  config: Record<string, unknown>;
  /** Parent's config merged under this plugin's own config. */
  resolved_config: Record<string, unknown>;
  env: Record<string, string>;
  commands: Record<string, unknown>;
  /** Setting definitions: lock file, then parent, then this plugin's `settings:` (later wins by name). */
  settings: SettingDefinition[];
  /** Path of the lock file the definitions came from, if any. */
  lock_file: string | null;
  /** Keys Meltano stores as extras (select, metadata, schema, vars, mappings, ...) and unknown keys. */
  extras: Record<string, unknown>;
  /** Absolute path of the file this plugin is defined in. */
  source_file: string;
}

export interface EnvironmentPluginOverride {
  type: string;
  name: string;
  config: Record<string, unknown>;
  env: Record<string, string>;
  extras: Record<string, unknown>;
}

export interface Environment {
  name: string;
  env: Record<string, string>;
  plugins: EnvironmentPluginOverride[];
  state_id_suffix: string | null;
  source_file: string;
}

export type TransformMode = 'run' | 'skip' | 'only';

interface ScheduleBase {
  name: string;
  /** As written (`@daily`, a cron expression, `@once`...), or null when missing. */
  interval: string | null;
  env: Record<string, string>;
  /** YAML timestamps are turned into ISO strings; v2/v3 only, ignored by Meltano 4. */
  start_date: string | null;
  /**
   * False when the schedule says `annotations: {meltano-ui: {orchestrated: false}}`: nothing runs it
   * on its interval (it is only run by hand), so it is never late. Meltano ignores annotations.
   */
  orchestrated: boolean;
  source_file: string;
}

export interface JobSchedule extends ScheduleBase {
  kind: 'job';
  job: string;
}

export interface EltSchedule extends ScheduleBase {
  kind: 'elt';
  extractor: string;
  loader: string;
  transform: TransformMode;
}

export type Schedule = JobSchedule | EltSchedule;

export interface Job {
  name: string;
  /**
   * Each task as its list of blocks. A bare string `tasks: "tap target"` is one task; a nested list
   * item is one task whose strings are joined, as `meltano run` does.
   */
  tasks: string[][];
  source_file: string;
}

export interface Project {
  root: string;
  /** meltano.yml followed by every included file, absolute paths. */
  files: string[];
  project_id: string | null;
  default_environment: string | null;
  environments: Environment[];
  plugins: ProjectPlugin[];
  schedules: Schedule[];
  jobs: Job[];
  /** Top-level `env:` of meltano.yml. */
  env: Record<string, string>;
  /** The project's `.env` file, parsed like python-dotenv ({} when missing). */
  dotenv: Record<string, string>;
  /**
   * The `.env` keys whose value interpolated `${VAR}`s while parsing, with the text as written
   * (dotenvReferences). Absent for a project built by hand: its `.env` values then count as written.
   */
  dotenv_references?: Record<string, DotenvInterpolation>;
  /**
   * Project-level settings from meltano.yml flattened with dots (`ui.bind_port`, `database_uri`,
   * `state_backend.uri`...), as written (not expanded).
   */
  settings: Record<string, unknown>;
}
