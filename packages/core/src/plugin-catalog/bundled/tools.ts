import { type BundledPlugin, flag, integer, list, object, secret, text } from './bundled.types.js';

const DBT_EXT = 'git+https://github.com/meltano/dbt-ext.git@main';

export const UTILITIES: BundledPlugin[] = [
  {
    name: 'dbt-postgres',
    namespace: 'dbt_postgres',
    label: 'dbt PostgreSQL',
    description: 'SQL transformations in PostgreSQL, with dbt',
    variants: [
      {
        variant: 'dbt-labs',
        pip_url: `dbt-core dbt-postgres ${DBT_EXT}`,
        executable: 'dbt_invoker',
        capabilities: [],
        settings: [
          text('host', 'Host', 'Database server host name.'),
          integer('port', 'Port', 'Database server port.'),
          text('user', 'User', 'Database user.'),
          secret('password', 'Password', 'Password of the user.'),
          text('dbname', 'Database', 'Database the models run in.'),
          text('schema', 'Schema', 'Schema the models are built in.'),
        ],
      },
    ],
  },
  {
    name: 'sqlfluff',
    namespace: 'sqlfluff',
    label: 'SQLFluff',
    description: 'Linter and formatter for SQL and dbt models',
    variants: [{ variant: 'sqlfluff', pip_url: 'sqlfluff', capabilities: [], settings: [] }],
  },
  {
    name: 'great_expectations',
    namespace: 'great_expectations',
    label: 'Great Expectations',
    description: 'Data quality tests',
    variants: [
      {
        variant: 'great-expectations',
        pip_url: 'great_expectations',
        capabilities: [],
        settings: [text('ge_home', 'Home', 'Folder holding great_expectations.yml.')],
      },
    ],
  },
  {
    name: 'dagster',
    namespace: 'dagster',
    label: 'Dagster',
    description: 'Data orchestrator, wired to the Meltano project',
    variants: [
      {
        variant: 'quantile-development',
        pip_url: 'dagster-ext',
        executable: 'dagster_invoker',
        capabilities: [],
        settings: [
          text('dagster_home', 'Dagster Home', 'Folder of the Dagster instance.'),
          text('repository_dir', 'Repository Folder', 'Folder holding the Dagster code.'),
        ],
      },
    ],
  },
  {
    name: 'evidence',
    namespace: 'evidence',
    label: 'Evidence',
    description: 'Reports written in Markdown and SQL',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'evidence-ext',
        capabilities: [],
        settings: [text('home_dir', 'Home', 'Folder of the Evidence project.')],
      },
    ],
  },
  {
    name: 'superset',
    namespace: 'superset',
    label: 'Superset',
    description: 'Dashboards and data exploration',
    variants: [
      {
        variant: 'apache',
        pip_url: 'apache-superset',
        capabilities: [],
        settings: [
          integer('ui.bind_port', 'Port', 'Port the web server listens on.'),
          secret('SECRET_KEY', 'Secret Key', 'Signs session cookies.'),
        ],
      },
    ],
  },
];

export const TRANSFORMERS: BundledPlugin[] = [
  {
    name: 'dbt',
    namespace: 'dbt',
    label: 'dbt',
    description: 'SQL transformations in the warehouse',
    variants: [
      {
        variant: 'dbt-labs',
        pip_url: 'dbt-core dbt-postgres',
        capabilities: [],
        settings: [
          text('project_dir', 'Project Folder', 'Folder of dbt_project.yml.'),
          text('profiles_dir', 'Profiles Folder', 'Folder of profiles.yml.'),
          text('target', 'Target', 'Profile target to run against.'),
        ],
      },
    ],
  },
  {
    name: 'dbt-snowflake',
    namespace: 'dbt_snowflake',
    label: 'dbt Snowflake',
    description: 'SQL transformations in Snowflake, with dbt',
    variants: [
      {
        variant: 'dbt-labs',
        pip_url: `dbt-core dbt-snowflake ${DBT_EXT}`,
        executable: 'dbt_invoker',
        capabilities: [],
        settings: [
          text('account', 'Account', 'Account identifier.'),
          text('user', 'User', 'Snowflake user.'),
          secret('password', 'Password', 'Password of the user.'),
          text('role', 'Role', 'Role to use.'),
          text('warehouse', 'Warehouse', 'Warehouse the models run on.'),
          text('database', 'Database', 'Database the models run in.'),
          text('schema', 'Schema', 'Schema the models are built in.'),
        ],
      },
    ],
  },
];

export const ORCHESTRATORS: BundledPlugin[] = [
  {
    name: 'airflow',
    namespace: 'airflow',
    label: 'Airflow',
    description: 'Workflow scheduler that runs the Meltano schedules',
    variants: [
      {
        variant: 'apache',
        pip_url: 'git+https://github.com/meltano/airflow-ext.git@main apache-airflow',
        executable: 'airflow_invoker',
        capabilities: [],
        settings: [
          text('core.dags_folder', 'DAGs Folder', 'Folder the DAG files are read from.'),
          flag('core.load_examples', 'Load Examples', 'Show the example DAGs.'),
          integer('webserver.web_server_port', 'Web Server Port', 'Port of the Airflow web server.'),
        ],
      },
    ],
  },
];

export const MAPPERS: BundledPlugin[] = [
  {
    name: 'meltano-map-transformer',
    namespace: 'meltano_map_transformer',
    label: 'Meltano Map Transformer',
    description: 'Inline stream maps: rename, filter, hash or add properties',
    variants: [
      {
        variant: 'meltano',
        pip_url: 'git+https://github.com/MeltanoLabs/meltano-map-transform.git',
        executable: 'meltano-map-transform',
        capabilities: ['stream-maps'],
        settings: [
          object('stream_maps', 'Stream Maps', 'Per-stream property expressions.'),
          object('stream_map_config', 'Stream Map Config', 'Values the expressions can use.'),
        ],
      },
    ],
  },
  {
    name: 'transform-field',
    namespace: 'transform_field',
    label: 'Transform Field',
    description: 'Set to null, hash or mask fields between a tap and a target',
    variants: [
      {
        variant: 'transferwise',
        pip_url: 'pipelinewise-transform-field',
        executable: 'transform-field',
        capabilities: [],
        settings: [list('transformations', 'Transformations', 'One entry per field: stream, field, type.')],
      },
    ],
  },
];

export const FILES: BundledPlugin[] = [
  {
    name: 'files-airflow',
    namespace: 'files_airflow',
    label: 'Airflow files',
    description: 'The DAG generator that runs Meltano schedules in Airflow',
    variants: [
      {
        variant: 'meltano',
        pip_url: 'git+https://github.com/meltano/files-airflow.git',
        capabilities: [],
        settings: [],
      },
    ],
  },
];
