import {
  type BundledPlugin,
  choice,
  file,
  flag,
  integer,
  SDK_TARGET,
  secret,
  text,
} from './bundled.types.js';

const POSTGRES_CONNECTION = [
  text('host', 'Host', 'Database server host name.'),
  integer('port', 'Port', 'Database server port, 5432 by default.'),
  text('user', 'User', 'Database user.'),
  secret('password', 'Password', 'Password of the user.'),
];

export const LOADERS: BundledPlugin[] = [
  {
    name: 'target-postgres',
    namespace: 'target_postgres',
    label: 'PostgreSQL',
    description: 'Open-source relational database',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'meltanolabs-target-postgres',
        capabilities: [...SDK_TARGET, 'activate-version', 'hard-delete'],
        settings: [
          ...POSTGRES_CONNECTION,
          text('database', 'Database', 'Database to load into.'),
          text('default_target_schema', 'Schema', 'Schema the tables are created in.'),
          flag('add_record_metadata', 'Record Metadata', 'Add _sdc_ columns to every table.'),
          secret('sqlalchemy_url', 'SQLAlchemy URL', 'A full connection URL, instead of the fields above.'),
        ],
      },
      {
        variant: 'transferwise',
        pip_url: 'pipelinewise-target-postgres',
        capabilities: [],
        settings: [
          ...POSTGRES_CONNECTION,
          text('dbname', 'Database', 'Database to load into.'),
          text('default_target_schema', 'Schema', 'Schema the tables are created in.'),
        ],
      },
    ],
  },
  {
    name: 'target-snowflake',
    namespace: 'target_snowflake',
    label: 'Snowflake',
    description: 'Cloud data warehouse',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'meltanolabs-target-snowflake',
        capabilities: [...SDK_TARGET, 'activate-version', 'hard-delete'],
        settings: [
          text('account', 'Account', 'Account identifier, such as xy12345.eu-west-1.'),
          text('user', 'User', 'Snowflake user.'),
          secret('password', 'Password', 'Password of the user.'),
          text('role', 'Role', 'Role to use.'),
          text('warehouse', 'Warehouse', 'Warehouse to run loads on.'),
          text('database', 'Database', 'Database to load into.'),
          text('default_target_schema', 'Schema', 'Schema the tables are created in.'),
        ],
      },
    ],
  },
  {
    name: 'target-bigquery',
    namespace: 'target_bigquery',
    label: 'BigQuery',
    description: 'Google Cloud data warehouse',
    variants: [
      {
        variant: 'z3z1ma',
        pip_url: 'git+https://github.com/z3z1ma/target-bigquery.git',
        capabilities: SDK_TARGET,
        settings: [
          text('project', 'Project', 'Google Cloud project ID.'),
          text('dataset', 'Dataset', 'Dataset the tables are created in.'),
          text('location', 'Location', 'Dataset location, US by default.'),
          file('credentials_path', 'Credentials File', 'Service account key file.'),
          choice('method', 'Load Method', 'How records reach BigQuery.', [
            'batch_job',
            'streaming_insert',
            'storage_write_api',
            'gcs_stage',
          ]),
        ],
      },
    ],
  },
  {
    name: 'target-redshift',
    namespace: 'target_redshift',
    label: 'Amazon Redshift',
    description: 'AWS data warehouse',
    variants: [
      {
        variant: 'transferwise',
        pip_url: 'pipelinewise-target-redshift',
        capabilities: [],
        settings: [
          text('host', 'Host', 'Cluster endpoint.'),
          integer('port', 'Port', 'Cluster port, 5439 by default.'),
          text('user', 'User', 'Database user.'),
          secret('password', 'Password', 'Password of the user.'),
          text('dbname', 'Database', 'Database to load into.'),
          text('s3_bucket', 'S3 Bucket', 'Bucket the files are staged in before COPY.'),
          text('default_target_schema', 'Schema', 'Schema the tables are created in.'),
        ],
      },
    ],
  },
  {
    name: 'target-duckdb',
    namespace: 'target_duckdb',
    label: 'DuckDB',
    description: 'In-process analytical database',
    variants: [
      {
        variant: 'jwills',
        pip_url: 'target-duckdb',
        capabilities: [],
        settings: [
          text('filepath', 'File Path', 'Database file to load into.'),
          text('default_target_schema', 'Schema', 'Schema the tables are created in.'),
        ],
      },
    ],
  },
  {
    name: 'target-sqlite',
    namespace: 'target_sqlite',
    label: 'SQLite',
    description: 'Single-file relational database',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'git+https://github.com/MeltanoLabs/target-sqlite.git',
        capabilities: SDK_TARGET,
        settings: [
          text('database', 'Database', 'Database file, without the .db extension.'),
          integer('batch_size', 'Batch Size', 'Records written per transaction.'),
        ],
      },
    ],
  },
  {
    name: 'target-mysql',
    namespace: 'target_mysql',
    label: 'MySQL / MariaDB',
    description: 'Open-source relational database',
    variants: [
      {
        variant: 'thkwag',
        pip_url: 'thk-target-mysql',
        capabilities: SDK_TARGET,
        settings: [
          text('host', 'Host', 'Database server host name.'),
          integer('port', 'Port', 'Database server port, 3306 by default.'),
          text('user', 'User', 'Database user.'),
          secret('password', 'Password', 'Password of the user.'),
          text('database', 'Database', 'Database to load into.'),
        ],
      },
    ],
  },
  {
    name: 'target-jsonl',
    namespace: 'target_jsonl',
    label: 'JSON Lines',
    description: 'One JSON object per line, one file per stream',
    variants: [
      {
        variant: 'andyh1203',
        pip_url: 'target-jsonl',
        capabilities: [],
        settings: [
          text('destination_path', 'Destination Path', 'Folder the files are written to.'),
          flag('do_timestamp_file', 'Timestamp Files', 'Add a timestamp to each file name.'),
        ],
      },
    ],
  },
  {
    name: 'target-csv',
    namespace: 'target_csv',
    label: 'CSV',
    description: 'Comma-separated values files',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'git+https://github.com/MeltanoLabs/target-csv.git',
        capabilities: SDK_TARGET,
        settings: [
          text('output_path', 'Output Path', 'Folder the files are written to.'),
          text(
            'file_naming_scheme',
            'File Naming Scheme',
            'Pattern of file names, {stream_name}.csv by default.',
          ),
        ],
      },
    ],
  },
  {
    name: 'target-parquet',
    namespace: 'target_parquet',
    label: 'Parquet',
    description: 'Columnar files for analytics',
    variants: [
      {
        variant: 'automattic',
        pip_url: 'git+https://github.com/Automattic/target-parquet.git',
        capabilities: SDK_TARGET,
        settings: [
          text('destination_path', 'Destination Path', 'Folder the files are written to.'),
          choice('compression_method', 'Compression', 'Codec of the files.', [
            'snappy',
            'gzip',
            'zstd',
            'none',
          ]),
        ],
      },
    ],
  },
  {
    name: 'target-s3',
    namespace: 'target_s3',
    label: 'Amazon S3',
    description: 'Files in an S3 bucket',
    variants: [
      {
        variant: 'crowemi',
        pip_url: 'git+https://github.com/crowemi/target-s3.git',
        capabilities: SDK_TARGET,
        settings: [
          text('bucket', 'Bucket', 'Bucket the files are written to.'),
          text('prefix', 'Prefix', 'Key prefix of the files.'),
          text('aws_access_key_id', 'Access Key ID', 'AWS access key ID.'),
          secret('aws_secret_access_key', 'Secret Access Key', 'AWS secret access key.'),
        ],
      },
    ],
  },
];
