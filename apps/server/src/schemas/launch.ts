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
  },
  { $id: 'Launch' },
);

export const LaunchOutput = Type.Object({
  launch: Type.String(),
  size: Type.Integer(),
  lines: Type.Integer(),
  text: Type.String({ description: 'The last lines the Meltano CLI printed (stdout and stderr)' }),
});
