import { Type } from 'typebox';
import { EnvReferences, Nullable, StringEnum, StringMap, Timestamp } from './common.js';
import { Run } from './run.js';

const SharedStateIds = Type.Array(
  Type.Object({
    state_id: Type.String(),
    schedules: Type.Array(Type.String(), { description: 'The first 10, by file order' }),
    jobs: Type.Array(Type.String(), { description: 'The first 10, by file order' }),
    more_schedules: Type.Integer({ description: 'How many more schedules record it (not listed)' }),
    more_jobs: Type.Integer({ description: 'How many more jobs record it (not listed)' }),
  }),
  {
    description:
      'State IDs other schedules or jobs record too (a job schedule and its job aside): their runs and Singer state are shared',
  },
);

const Tasks = Type.Array(Type.Array(Type.String()), { description: 'Each task as its list of blocks' });

const Lateness = Type.Object(
  {
    status: StringEnum(['on_time', 'late', 'not_applicable'], {
      description:
        '`late`: no run of its state IDs started within the grace window after an expected start; `not_applicable`: @once/@manual, an interval that does not parse, or marked not orchestrated',
    }),
    expected_at: Nullable(
      Type.String({
        format: 'date-time',
        description: 'Late: the earliest expected start no run met; on time: the next start due',
      }),
    ),
    missed: Type.Integer({ description: 'Expected starts whose grace window passed without a run' }),
    missed_capped: Type.Boolean({ description: 'Counting stopped at 100: at least that many were missed' }),
    grace_seconds: Nullable(
      Type.Number({ description: 'ui.schedule_grace, else 10% of the interval (at least 5 min)' }),
    ),
    since: Nullable(
      Type.String({
        format: 'date-time',
        description: "What is counted from: the latest run's start, or start_date when later",
      }),
    ),
    not_applicable_reason: Nullable(StringEnum(['no_cron', 'invalid_interval', 'not_orchestrated'])),
  },
  { description: 'Whether the orchestrator started it when its interval says (issue 15)' },
);

export const Schedule = Type.Object(
  {
    name: Type.String(),
    kind: StringEnum(['elt', 'job']),
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
    orchestrated: Type.Boolean({
      description:
        'False when `annotations: {meltano-ui: {orchestrated: false}}` says nothing runs it on its interval (never late)',
    }),
    lateness: Lateness,
    latest_run: Nullable(Run),
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
    latest_run: Nullable(Run),
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
  backend: Type.Optional(
    Type.String({
      description:
        'GET /state/{state_id}: `systemdb`, or the scheme of state_backend.uri (`s3`, `gs`, `azure`, `file`), read through `meltano state get`, which gives only `merged`',
    }),
  ),
});
