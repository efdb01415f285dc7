import { Type } from 'typebox';
import { Nullable, StringEnum, Timestamp } from './common.js';

/** Meltano's run options, by the names of its flags (`--full-refresh` …); each offered by version. */
export const RunOptions = Type.Object(
  {
    full_refresh: Type.Optional(
      Type.Boolean({
        description: '--full-refresh: ignore the state of earlier runs, extract everything again',
      }),
    ),
    refresh_catalog: Type.Optional(Type.Boolean({ description: '--refresh-catalog (Meltano >= 3.5)' })),
    no_state_update: Type.Optional(Type.Boolean({ description: '--no-state-update (`meltano run` only)' })),
    state_id_suffix: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 100,
        pattern: '^[A-Za-z0-9_.-]+$',
        description:
          '--state-id-suffix (Meltano >= 2.7, `meltano run` only): the state IDs become <environment>:<tap>-to-<target>:<suffix>',
      }),
    ),
    dry_run: Type.Optional(
      Type.Boolean({ description: '--dry-run (`meltano elt`: --dry): parse and explain, run nothing' }),
    ),
    state_strategy: Type.Optional(
      StringEnum(['auto', 'merge', 'overwrite'], { description: '--state-strategy (Meltano >= 3.8)' }),
    ),
    timeout: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 7 * 24 * 3600,
        description: '--timeout in seconds (Meltano >= 4.0, `meltano run` only)',
      }),
    ),
  },
  { additionalProperties: false },
);

export const RunBody = Type.Object(
  { options: Type.Optional(RunOptions) },
  { additionalProperties: false, description: 'Optional: run options; none is a plain run' },
);

/** GET /schedules/{name}/run-options, /jobs/{name}/run-options. */
export const OfferedRunOptions = Type.Object({
  meltano_version: Nullable(
    Type.String({ description: 'The Meltano CLI found here; null when it could not be told' }),
  ),
  command: StringEnum(['run', 'elt'], {
    description:
      'The command that reads the options: `meltano elt` for an ELT schedule, `meltano run` otherwise',
  }),
  options: Type.Array(
    StringEnum([
      'full_refresh',
      'refresh_catalog',
      'no_state_update',
      'state_id_suffix',
      'dry_run',
      'state_strategy',
      'timeout',
    ]),
    { description: 'The options this Meltano version has for that command' },
  ),
});

export const Launch = Type.Object(
  {
    id: Type.String({ description: 'The launch id (a UUID)' }),
    pipeline_kind: StringEnum(['schedule', 'job']),
    pipeline_name: Type.String(),
    state_ids: Type.Array(Type.String(), { description: 'State IDs the run records' }),
    run_id: Type.String({
      description: 'The run ID given to Meltano (MELTANO_RUN_ID; Meltano >= 3.4 uses it)',
    }),
    argv: Type.Array(Type.String(), { description: 'The command, executable first; no environment values' }),
    host: Type.String(),
    pid: Nullable(Type.Integer()),
    status: StringEnum(['starting', 'running', 'exited', 'failed_to_start'], {
      description: 'The process, not the run: see the run for success or failure',
    }),
    exit_code: Nullable(Type.Integer()),
    signal: Nullable(Type.String()),
    error: Nullable(Type.String()),
    created_at: Timestamp,
    ended_at: Nullable(Timestamp),
    cancel_requested_at: Nullable(Timestamp),
    replica_id: Nullable(
      Type.String({
        description:
          'The server process (replica) that owns the run: started it or took it over; null on launches from before replicas were recorded',
      }),
    ),
    cancel_requested_by: Nullable(Type.String({ description: 'Who asked to cancel (null without sign-in)' })),
    cancel_acted_at: Nullable(
      Type.String({
        format: 'date-time',
        description: 'When the owning replica sent SIGTERM for the cancel; null while it has not yet',
      }),
    ),
    options: RunOptions,
    retry_of_run_id: Nullable(Type.Integer({ description: 'The runs.id of the failed run it retries' })),
  },
  { $id: 'Launch' },
);

/** POST /runs/{id}/cancel: the launch, and which replica stops the process. */
export const CancelAnswer = Type.Object({
  ...Launch.properties,
  cancel: Type.Object({
    handled_by: StringEnum(['this_replica', 'owner_replica'], {
      description:
        '`owner_replica`: another server process owns the run; the request is recorded and that replica was asked to stop it (it does within about 2 s)',
    }),
    owner: Type.Object({ replica_id: Type.String(), host: Type.String() }),
    adopted: Type.Boolean({ description: 'This replica took the run over from one gone from its host' }),
    message: Type.String(),
  }),
});

/** A run's cancel request, as GET /runs/{id} shows it. */
export const CancelRequest = Type.Object({
  launch_id: Type.String(),
  requested_at: Timestamp,
  requested_by: Nullable(Type.String()),
  acted_at: Nullable(Timestamp),
  owner_replica_id: Nullable(Type.String()),
  owner_host: Type.String(),
});

export const LaunchOutput = Type.Object({
  launch: Type.String(),
  size: Type.Integer(),
  lines: Type.Integer(),
  text: Type.String({ description: 'The last lines the Meltano CLI printed (stdout and stderr)' }),
});
