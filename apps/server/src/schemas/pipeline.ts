import { Type } from 'typebox';
import { EnvReferences, Nullable, StringMap, Timestamp } from './common.js';

const SharedStateIds = Type.Array(
  Type.Object({
    state_id: Type.String(),
    schedules: Type.Array(Type.String()),
    jobs: Type.Array(Type.String()),
  }),
  {
    description:
      'State IDs other schedules or jobs record too (a job schedule and its job aside): their runs and Singer state are shared',
  },
);

const Tasks = Type.Array(Type.Array(Type.String()), { description: 'Each task as its list of blocks' });

export const Schedule = Type.Object(
  {
    name: Type.String(),
    kind: Type.Union([Type.Literal('elt'), Type.Literal('job')]),
    interval: Nullable(Type.String()),
    cron: Nullable(Type.String({ description: 'The interval as a 5-field cron, null for @once/@manual' })),
    interval_description: Type.String({ description: 'The interval in words' }),
    interval_valid: Type.Boolean(),
    next_run_at: Nullable(Timestamp),
    extractor: Nullable(Type.String()),
    loader: Nullable(Type.String()),
    transform: Nullable(Type.String()),
    job: Nullable(Type.String()),
    tasks: Nullable(Tasks),
    env: StringMap,
    env_references: EnvReferences,
    start_date: Nullable(Type.String()),
    environment: Nullable(Type.String({ description: 'Environment a job schedule runs in' })),
    state_ids: Type.Array(Type.String()),
    shared_state_ids: SharedStateIds,
    latest_run: Nullable(Type.Ref('Run')),
    recent_runs: Type.Array(Type.Ref('RunOutcome'), { description: 'Last 20 runs, newest first' }),
    totals: Type.Ref('RunTotals'),
    source_file: Type.String(),
    version: Type.String({
      description: 'Send as If-Match when changing it: a schedule changed since answers 409',
    }),
    problem: Nullable(Type.String()),
  },
  { $id: 'Schedule' },
);

export const Job = Type.Object(
  {
    name: Type.String(),
    tasks: Tasks,
    environment: Nullable(Type.String()),
    state_ids: Type.Array(Type.String()),
    shared_state_ids: SharedStateIds,
    schedules: Type.Array(Type.String()),
    latest_run: Nullable(Type.Ref('Run')),
    recent_runs: Type.Array(Type.Ref('RunOutcome')),
    totals: Type.Ref('RunTotals'),
    source_file: Type.String(),
    version: Type.String({ description: 'Send as If-Match when changing it' }),
  },
  { $id: 'Job' },
);

export const StateIdSummary = Type.Object({
  state_id: Type.String(),
  run_count: Type.Integer(),
  latest_run: Type.Ref('Run'),
  schedules: Type.Array(Type.String(), { description: 'Schedules whose runs record this state ID' }),
  jobs: Type.Array(Type.String()),
});

export const StateDetail = Type.Object({
  state_id: Type.String(),
  completed_state: Type.Unknown(),
  partial_state: Type.Unknown(),
  merged: Type.Unknown({
    description: 'Partial state merged onto completed: what the next run resumes from',
  }),
  updated_at: Nullable(Type.String()),
});
