import { Type } from 'typebox';
import { EnvReferences, Nullable, StringEnum } from './common.js';

const Source = StringEnum(
  ['config_override', 'env', 'dotenv', 'meltano_environment', 'meltano_yml', 'db', 'inherited', 'default'],
  { description: "The layer the value came from, in Meltano's order of precedence" },
);
export const Store = StringEnum(['dotenv', 'meltano_environment', 'meltano_yml', 'db']);

export const PluginSetting = Type.Object({
  name: Type.String(),
  label: Nullable(Type.String()),
  kind: Nullable(Type.String()),
  description: Nullable(Type.String()),
  sensitive: Type.Boolean(),
  options: Type.Array(Type.Object({ label: Type.String(), value: Type.Unknown() })),
  default: Type.Unknown({ description: 'The definition’s default; `(redacted)` for secrets' }),
  custom: Type.Boolean({ description: 'A config key no setting definition names' }),
  value: Type.Unknown({
    description:
      'The value as written, before `$VAR` expansion (`$TAP_X_KEY` stays `$TAP_X_KEY`); `(redacted)` for secrets, URI passwords masked',
  }),
  is_set: Type.Boolean(),
  redacted: Type.Boolean(),
  source: Source,
  inherited_source: Nullable(Source),
  env_var: Nullable(Type.String({ description: 'The variable the value came from' })),
  expanded: Type.Boolean({ description: '`$VAR` expansion changed the value' }),
  expanded_value: Type.Unknown({
    description:
      'The value after expansion, only when every referenced variable is the project’s own non-secret one (.env or meltano.yml `env:`); else null',
  }),
  expansion_hidden: Type.Boolean({
    description:
      'Expanded, but withheld: a variable is a secret’s, the UI’s own or the process environment’s',
  }),
  references: EnvReferences,
  env_vars: Type.Array(Type.String(), { description: 'Variables Meltano reads this setting from' }),
  conflict: Nullable(
    Type.Object({
      kind: Type.String(),
      source: Source,
      keys: Type.Array(Type.String(), { description: 'Names involved; never their values' }),
    }),
  ),
  writable_stores: Type.Array(Store),
  auto_store: Nullable(Store),
  overwritable: Type.Boolean({ description: 'False when a higher layer would still shadow a written value' }),
  write_store: Nullable(Store),
  locked: Nullable(
    Type.Object({
      source: Source,
      env_var: Nullable(Type.String()),
      reason: Type.String({ description: 'Why it cannot be changed here, in words the UI shows' }),
    }),
  ),
  version: Type.String({ description: 'Send as If-Match when changing it: 409 if it changed since' }),
});

export const PluginSettings = Type.Object({
  type: Type.String(),
  name: Type.String(),
  environment: Nullable(Type.String()),
  settings: Type.Array(PluginSetting),
  undecodable_db_rows: Type.Integer({ description: 'plugin_settings rows that could not be decoded' }),
});

/** GET /schedules/{name}/environment and /jobs/{name}/environment: what a run of the pipeline would use. */
export const PipelineEnvironment = Type.Object({
  pipeline: Type.Object({
    kind: StringEnum(['schedule', 'job']),
    name: Type.String(),
  }),
  environment: Nullable(
    Type.String({ description: 'The environment the settings are resolved for; null: none' }),
  ),
  active_environment: Nullable(Type.String({ description: "The workspace's active environment" })),
  default_environment: Nullable(
    Type.String({
      description: "What a run uses: a schedule's own MELTANO_ENVIRONMENT, else the active one",
    }),
  ),
  environments: Type.Array(Type.String(), {
    description: 'Every environment of the project, for the picker',
  }),
  plugins: Type.Array(
    Type.Object({
      type: Type.String(),
      name: Type.String(),
      blocks: Type.Array(Type.String(), {
        description: 'The names the pipeline calls it by (`dbt:run`, a mapping of a mapper)',
      }),
      settings: Type.Array(PluginSetting),
    }),
    { description: 'Each plugin the pipeline runs, in order of first use' },
  ),
  unknown_blocks: Type.Array(Type.String(), { description: 'Steps naming no plugin of the project' }),
  schedule_env_vars: Type.Array(Type.String(), {
    description:
      "Variables the schedule's `env` gives its runs: they count as the process environment (`env`)",
  }),
  undecodable_db_rows: Type.Integer(),
});
