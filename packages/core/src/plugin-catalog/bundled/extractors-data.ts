import {
  type BundledPlugin,
  choice,
  date,
  flag,
  integer,
  LEGACY_TAP,
  list,
  SDK_TAP,
  secret,
  text,
} from './bundled.types.js';

/** Extractors for databases, files and tests. */
export const DATA_EXTRACTORS: BundledPlugin[] = [
  {
    name: 'tap-postgres',
    namespace: 'tap_postgres',
    label: 'PostgreSQL',
    description: 'Open-source relational database',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'meltanolabs-tap-postgres',
        capabilities: [...SDK_TAP, 'log-based'],
        settings: [
          text('host', 'Host', 'Database server host name.'),
          integer('port', 'Port', 'Database server port, 5432 by default.'),
          text('user', 'User', 'Database user.'),
          secret('password', 'Password', 'Password of the user.'),
          text('database', 'Database', 'Database to extract from.'),
          list('filter_schemas', 'Filter Schemas', 'Only these schemas are discovered.'),
          secret('sqlalchemy_url', 'SQLAlchemy URL', 'A full connection URL, instead of the fields above.'),
        ],
      },
      {
        variant: 'transferwise',
        pip_url: 'pipelinewise-tap-postgres',
        capabilities: LEGACY_TAP,
        settings: [
          text('host', 'Host', 'Database server host name.'),
          integer('port', 'Port', 'Database server port, 5432 by default.'),
          text('user', 'User', 'Database user.'),
          secret('password', 'Password', 'Password of the user.'),
          text('dbname', 'Database', 'Database to extract from.'),
          text('filter_schemas', 'Filter Schemas', 'Comma-separated schemas to discover.'),
          choice('default_replication_method', 'Replication Method', 'Used for streams without their own.', [
            'FULL_TABLE',
            'INCREMENTAL',
            'LOG_BASED',
          ]),
        ],
      },
    ],
  },
  {
    name: 'tap-mysql',
    namespace: 'tap_mysql',
    label: 'MySQL / MariaDB',
    description: 'Open-source relational database',
    variants: [
      {
        variant: 'transferwise',
        pip_url: 'pipelinewise-tap-mysql',
        capabilities: LEGACY_TAP,
        settings: [
          text('host', 'Host', 'Database server host name.'),
          integer('port', 'Port', 'Database server port, 3306 by default.'),
          text('user', 'User', 'Database user.'),
          secret('password', 'Password', 'Password of the user.'),
          text('database', 'Database', 'Database to extract from.'),
          flag('ssl', 'SSL', 'Connect over TLS.'),
        ],
      },
      {
        variant: 'meltanolabs',
        pip_url: 'git+https://github.com/MeltanoLabs/tap-mysql.git',
        capabilities: SDK_TAP,
        settings: [
          text('host', 'Host', 'Database server host name.'),
          integer('port', 'Port', 'Database server port, 3306 by default.'),
          text('user', 'User', 'Database user.'),
          secret('password', 'Password', 'Password of the user.'),
          text('database', 'Database', 'Database to extract from.'),
        ],
      },
    ],
  },
  {
    name: 'tap-snowflake',
    namespace: 'tap_snowflake',
    label: 'Snowflake',
    description: 'Cloud data warehouse',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'meltanolabs-tap-snowflake',
        capabilities: SDK_TAP,
        settings: [
          text('account', 'Account', 'Account identifier, such as xy12345.eu-west-1.'),
          text('user', 'User', 'Snowflake user.'),
          secret('password', 'Password', 'Password of the user.'),
          text('role', 'Role', 'Role to use.'),
          text('warehouse', 'Warehouse', 'Warehouse to run queries on.'),
          text('database', 'Database', 'Database to extract from.'),
          list('tables', 'Tables', 'Tables to discover, as schema.table.'),
        ],
      },
    ],
  },
  {
    name: 'tap-mongodb',
    namespace: 'tap_mongodb',
    label: 'MongoDB',
    description: 'Document database',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'git+https://github.com/MeltanoLabs/tap-mongodb.git',
        capabilities: [...SDK_TAP, 'log-based'],
        settings: [
          secret('mongodb_connection_string', 'Connection String', 'mongodb:// or mongodb+srv:// URL.'),
          text('database', 'Database', 'Database to extract from.'),
          text('prefix', 'Prefix', 'Prefix added to stream names.'),
        ],
      },
    ],
  },
  {
    name: 'tap-s3-csv',
    namespace: 'tap_s3_csv',
    label: 'S3 CSV',
    description: 'CSV files in Amazon S3',
    variants: [
      {
        variant: 'transferwise',
        pip_url: 'pipelinewise-tap-s3-csv',
        capabilities: LEGACY_TAP,
        settings: [
          text('bucket', 'Bucket', 'S3 bucket holding the files.'),
          text('aws_access_key_id', 'Access Key ID', 'AWS access key ID.'),
          secret('aws_secret_access_key', 'Secret Access Key', 'AWS secret access key.'),
          date('start_date', 'Start Date', 'Only files modified since this date are read.'),
          list('tables', 'Tables', 'One entry per table: search prefix, pattern, key properties.'),
        ],
      },
    ],
  },
  {
    name: 'tap-csv',
    namespace: 'tap_csv',
    label: 'CSV',
    description: 'Comma-separated values files',
    variants: [
      {
        variant: 'meltanolabs',
        pip_url: 'git+https://github.com/MeltanoLabs/tap-csv.git',
        capabilities: SDK_TAP,
        settings: [
          list('files', 'Files', 'One entry per stream: entity, path, keys.'),
          text('csv_files_definition', 'Files Definition', 'Path of a JSON file listing the files instead.'),
          flag('add_metadata_columns', 'Metadata Columns', 'Add file name and row number columns.'),
        ],
      },
    ],
  },
  {
    name: 'tap-spreadsheets-anywhere',
    namespace: 'tap_spreadsheets_anywhere',
    label: 'Spreadsheets Anywhere',
    description: 'CSV, Excel and JSON files from local disk, S3, GCS, SFTP or HTTP',
    variants: [
      {
        variant: 'ets',
        pip_url: 'git+https://github.com/ets/tap-spreadsheets-anywhere.git',
        capabilities: LEGACY_TAP,
        settings: [list('tables', 'Tables', 'One entry per table: path, pattern, format, key properties.')],
      },
    ],
  },
  {
    name: 'tap-smoke-test',
    namespace: 'tap_smoke_test',
    label: 'Smoke Test',
    description: 'Generates records from sample files, for testing pipelines',
    variants: [
      {
        variant: 'meltano',
        pip_url: 'git+https://github.com/meltano/tap-smoke-test.git',
        capabilities: SDK_TAP,
        settings: [
          list('streams', 'Streams', 'One entry per stream: name and input file.'),
          integer('schema_inference_record_count', 'Inference Records', 'Records read to infer schemas.'),
        ],
      },
    ],
  },
  {
    name: 'tap-carbon-intensity',
    namespace: 'tap_carbon_intensity',
    label: 'Carbon Intensity',
    description: 'Carbon intensity of the British electricity grid; needs no configuration',
    variants: [
      {
        variant: 'meltano',
        pip_url: 'git+https://gitlab.com/meltano/tap-carbon-intensity.git',
        capabilities: LEGACY_TAP,
        settings: [],
      },
    ],
  },
];
