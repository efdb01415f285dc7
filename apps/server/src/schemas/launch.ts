import { Type } from 'typebox';
import { Nullable, Timestamp } from './common.js';

export const Launch = Type.Object(
  {
    id: Type.String({ description: 'The launch id (a UUID)' }),
    pipeline_kind: Type.Union([Type.Literal('schedule'), Type.Literal('job')]),
    pipeline_name: Type.String(),
    state_ids: Type.Array(Type.String(), { description: 'State IDs the run records' }),
    run_id: Type.String({
      description: 'The run ID given to Meltano (MELTANO_RUN_ID; Meltano >= 3.4 uses it)',
    }),
    argv: Type.Array(Type.String(), { description: 'The command, executable first; no environment values' }),
    host: Type.String(),
    pid: Nullable(Type.Integer()),
    status: Type.Union(
      [
        Type.Literal('starting'),
        Type.Literal('running'),
        Type.Literal('exited'),
        Type.Literal('failed_to_start'),
      ],
      { description: 'The process, not the run: see the run for success or failure' },
    ),
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
  },
  { $id: 'Launch' },
);

/** POST /runs/{id}/cancel: the launch, and which replica stops the process. */
export const CancelAnswer = Type.Object({
  ...Launch.properties,
  cancel: Type.Object({
    handled_by: Type.Union([Type.Literal('this_replica'), Type.Literal('owner_replica')], {
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
