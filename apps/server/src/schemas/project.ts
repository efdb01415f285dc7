import { Type } from 'typebox';
import { AnyMap, EnvReferences, Nullable, StringEnum, StringMap } from './common.js';

export const LoadError = Type.Object(
  {
    code: Type.String(),
    message: Type.String(),
    file: Nullable(Type.String({ description: 'Path relative to the project root' })),
    line: Nullable(Type.Integer()),
    column: Nullable(Type.Integer()),
  },
  { $id: 'LoadError' },
);

export const Environment = Type.Object({
  name: Type.String(),
  env: StringMap,
  env_references: EnvReferences,
  state_id_suffix: Nullable(Type.String()),
  plugin_overrides: Type.Array(
    Type.Object({
      type: Type.String(),
      name: Type.String(),
      config: AnyMap,
      env: StringMap,
      env_references: EnvReferences,
      extras: Type.Record(Type.String(), Type.Unknown(), {
        description: 'Other keys of the override (select, metadata, schema, …)',
      }),
    }),
  ),
  source_file: Type.String(),
  version: Type.String({ description: 'Send as If-Match when changing it: 409 if it changed since' }),
});

/** The workspace's active environment (GET /project, PUT /project/active-environment). */
export const ActiveEnvironmentFields = Type.Object({
  active_environment: Nullable(
    Type.String({
      description:
        'What settings, state IDs and runs started here use: MELTANO_ENVIRONMENT, else the choice made here, else .env, else default_environment; null: none',
    }),
  ),
  active_environment_source: StringEnum(['ui', 'process_env', 'dotenv', 'default_environment'], {
    description:
      "`process_env`: MELTANO_ENVIRONMENT in the UI's process environment (locked); `ui`: chosen on the Settings page; `dotenv`: MELTANO_ENVIRONMENT in .env; `default_environment`: meltano.yml",
  }),
  active_environment_locked_reason: Nullable(
    Type.String({ description: 'Why it cannot be switched here (MELTANO_ENVIRONMENT is set); null: it can' }),
  ),
  active_environment_updated_at: Nullable(Type.String({ format: 'date-time' })),
  active_environment_updated_by: Nullable(Type.String({ description: 'Who switched it here (source `ui`)' })),
  active_environment_ignored_choice: Nullable(
    Type.String({
      description:
        'An environment chosen here that the project no longer has (renamed or removed in Git): ignored',
    }),
  ),
});

export const Project = Type.Object({
  name: Type.String({ description: "The project directory's name" }),
  project_id: Nullable(Type.String()),
  root: Nullable(Type.String({ description: 'Absolute path of the project: admins only, null for others' })),
  files: Type.Array(Type.String(), { description: 'meltano.yml and every included file, relative to root' }),
  default_environment: Nullable(Type.String()),
  ...ActiveEnvironmentFields.properties,
  active_environment_unavailable: Nullable(
    Type.String({
      description:
        'Set while the system database cannot be read: the choice made here is unknown, the other layers are shown',
    }),
  ),
  environments: Type.Array(Environment),
  counts: Type.Object({
    plugins: Type.Integer(),
    schedules: Type.Integer(),
    jobs: Type.Integer(),
    environments: Type.Integer(),
  }),
  readonly: Type.Boolean({ description: 'ui.readonly: every change is refused' }),
  project_readonly: Type.Boolean({ description: 'project_readonly: project files cannot be changed' }),
  anonymous_readonly: Type.Boolean(),
  authentication: Type.Boolean({ description: 'ui.authentication' }),
  database: Type.Object({
    kind: Type.String(),
    uri: Type.String({ description: 'Password masked; paths inside the project relative for non-admins' }),
  }),
  ui_version: Type.String(),
  meltano: Type.Object(
    {
      available: Type.Boolean({
        description: 'Whether runs and installs can start: the Meltano CLI was found',
      }),
      source: Nullable(
        StringEnum(['setting', 'project', 'path'], {
          description: "ui.meltano_executable, the project's .meltano/run/bin, or PATH",
        }),
      ),
      executable: Nullable(Type.String({ description: 'The CLI the UI runs; admins see the absolute path' })),
      reason: Nullable(Type.String({ description: 'Why runs cannot start, naming ui.meltano_executable' })),
      version: Nullable(
        Type.String({ description: '`meltano --version`, asked at start-up; null until known' }),
      ),
      checked: Type.Boolean({ description: 'False while the version of the CLI found is still being asked' }),
    },
    {
      description:
        'The Meltano CLI that "Run now" and "Install" use: found by file, and asked its version at start-up (a CLI that does not answer is unavailable)',
    },
  ),
  load_error: Nullable(LoadError),
  loaded_at: Type.String({ format: 'date-time' }),
});

export const SettingView = Type.Object({
  name: Type.String(),
  kind: Nullable(Type.String()),
  label: Nullable(Type.String()),
  description: Nullable(Type.String()),
  sensitive: Type.Boolean(),
  default: Type.Unknown(),
});

export const Plugin = Type.Object(
  {
    type: Type.String(),
    name: Type.String(),
    variant: Nullable(Type.String()),
    namespace: Nullable(Type.String()),
    inherit_from: Nullable(Type.String()),
    parent: Nullable(Type.String({ description: 'The project plugin inherit_from resolves to' })),
    pip_url: Nullable(Type.String()),
    executable: Nullable(Type.String()),
    label: Nullable(Type.String()),
    description: Nullable(Type.String()),
    docs: Nullable(Type.String()),
    logo_url: Nullable(Type.String()),
    capabilities: Type.Array(Type.String()),
    config: AnyMap,
    env: StringMap,
    env_references: EnvReferences,
    commands: Type.Array(Type.String()),
    mappings: Type.Array(Type.String(), { description: "A mapper's mapping names (task blocks)" }),
    settings: Type.Array(SettingView),
    source_file: Type.String(),
    lock_file: Nullable(Type.String()),
    used_by: Type.Object({ schedules: Type.Array(Type.String()), jobs: Type.Array(Type.String()) }),
  },
  { $id: 'Plugin' },
);
