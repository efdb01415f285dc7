import { Type } from 'typebox';
import { Nullable, StringEnum, Timestamp } from './common.js';
import { CancelRequest } from './launch.js';

export const RunStatus = StringEnum(['running', 'success', 'failed', 'stale'], {
  description: '`stale` = RUNNING in the database without a fresh heartbeat (presumed dead)',
});

export const FailureCause = Type.Object(
  {
    message: Type.String({
      description: "The line's text without Meltano's timestamp, level and key=value context",
    }),
    line: Nullable(
      Type.Integer({ minimum: 1, description: '1-based line in elt.log (link: /runs/{id}#L{line})' }),
    ),
    source: Nullable(Type.String({ description: 'The plugin that wrote it, or `meltano`' })),
    cmd_type: Nullable(Type.String({ description: '`extractor`, `loader`, … when known' })),
    kind: StringEnum(['exception', 'error_line', 'meltano', 'run_row'], {
      description:
        "`exception`: a plugin traceback's final line; `error_line`: a plugin's ERROR/CRITICAL line; `meltano`: Meltano's own failure line; `run_row`: the runs row's error (no log)",
    }),
  },
  { $id: 'FailureCause' },
);

export const Run = Type.Object(
  {
    id: Type.Integer({ description: "The system database's runs.id; the run's address in this API" }),
    state_id: Type.String({ description: 'runs.job_name: the state ID the run recorded' }),
    run_id: Nullable(Type.String({ description: "Meltano's run UUID (not unique since Meltano 3.8)" })),
    status: RunStatus,
    meltano_state: Type.String({ description: 'The raw runs.state value' }),
    started_at: Nullable(Timestamp),
    ended_at: Nullable(Timestamp),
    last_heartbeat_at: Nullable(Timestamp),
    heartbeat_age_seconds: Nullable(Type.Number()),
    duration_seconds: Nullable(Type.Number()),
    trigger: Nullable(Type.String()),
    error: Nullable(Type.String()),
    payload_flags: Nullable(Type.Integer()),
    records_extracted: Nullable(
      Type.Integer({
        description:
          "Records the extractor's Singer metrics counted (record_count); null when none were logged, or for a run in a list until its log has been read (in the background, once)",
      }),
    ),
    records_loaded: Nullable(
      Type.Integer({ description: "Records the loader's Singer metrics counted; null as records_extracted" }),
    ),
    failure_cause: Nullable(FailureCause, {
      description:
        'Why a failed run failed, from the end of its log; null for other runs, and for a failed run in a list until it has been read (in the background, once)',
    }),
  },
  { $id: 'Run' },
);

/** GET /runs/{id}: the run, and the cancel asked for it through this UI (any replica). */
export const RunDetail = Type.Object(
  {
    ...Run.properties,
    cancel_request: Nullable(CancelRequest, {
      description:
        'The last cancel asked for this run, and when the replica that owns it acted; null when none was',
    }),
  },
  { $id: 'RunDetail' },
);

export const RunOutcome = Type.Object(
  {
    id: Type.Integer(),
    status: RunStatus,
    started_at: Nullable(Timestamp),
    duration_seconds: Nullable(Type.Number()),
  },
  { $id: 'RunOutcome' },
);

export const RunTotals = Type.Object(
  {
    total: Type.Integer(),
    succeeded: Type.Integer(),
    failed: Type.Integer(),
    success_rate: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
  },
  { $id: 'RunTotals' },
);

export const RunPage = Type.Object({
  items: Type.Array(Type.Ref('Run')),
  next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` to get the next (older) page' })),
});
