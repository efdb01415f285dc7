import type { SystemDatabase } from '../db/system-database.js';
import { timestampToMicros } from '../db/timestamps.js';
import { NotFoundError } from '../errors.js';
import type { PyDict, PyValue } from '../plugin-settings/python-value.js';
import { pyJsonDumps } from '../plugin-settings/python-value.js';
import type { StateView } from '../runs/state.repository.js';
import {
  dictGet,
  emptyDict,
  isNonEmptyDict,
  isPyDict,
  meltanoMerge,
  parseStoredState,
  validateSingerState,
} from './singer-state.js';
import {
  deleteStateRow,
  inStateTransaction,
  insertStateEditRow,
  PAYLOAD_INCOMPLETE_STATE,
  PAYLOAD_STATE,
  readStateRow,
  refuseWhileRunning,
  replaceStateRow,
  type StateWriteSession,
  stateHistoryRows,
} from './state-writes.repository.js';

export type StateOperation = 'set' | 'merge' | 'clear' | 'copy';

/** What one edit wrote, and the state as the next run will read it. */
export interface StateEditOutcome {
  state_id: string;
  operation: StateOperation;
  /** Where the state lives: `systemdb`, or the scheme of `state_backend.uri` (run through the CLI). */
  backend: string;
  /** The STATE_EDIT `runs` row written (none for a clear on Meltano 2.7+). */
  edit_run: { id: number; run_id: string } | null;
  /** Clear only: whether there was a state to clear. */
  cleared: boolean | null;
  /** The stored state after the edit; null when there is none (cleared, or no `state` table). */
  state: StateView | null;
  /** What the CLI would have logged. */
  message: string;
  /** The CLI's output, when the edit ran through it (a state backend other than the system DB). */
  output: string | null;
}

type Outcome = Omit<StateEditOutcome, 'state' | 'backend' | 'output'>;

/**
 * `meltano state set|merge|clear|copy` against the system DB, writing the rows the CLI writes
 * (StateService.add_state / clear_state, DBStateStoreManager.set): v2.10+ on databases with a `state`
 * table, and the older history-only rule (STATE_EDIT rows, `{}` for a clear) without one.
 */
export function createStateEditor(db: SystemDatabase, clock: () => Date) {
  const finish = async (outcome: Outcome): Promise<StateEditOutcome> => ({
    ...outcome,
    backend: 'systemdb',
    output: null,
    state: await db.state.get(outcome.state_id),
  });

  async function write(s: StateWriteSession, stateId: string, state: PyDict, flags: number) {
    const edit_run = await insertStateEditRow(s, stateId, state, flags);
    if (!s.schema.state) return edit_run;
    const existing = await readStateRow(s, stateId);
    if (flags === PAYLOAD_STATE) {
      // A complete state replaces both columns.
      await replaceStateRow(s, existing, {
        state_id: stateId,
        partial_state: '{}',
        completed_state: pyJsonDumps(state),
      });
      return edit_run;
    }
    // A partial one is merged onto the stored partial state; the completed state stays as it is.
    const oldPartial = existing
      ? parseStoredState(existing.partial_state, `partial state of '${stateId}'`)
      : null;
    const partial = isNonEmptyDict(oldPartial) ? meltanoMerge(state, oldPartial) : state;
    await replaceStateRow(s, existing, {
      state_id: stateId,
      partial_state: pyJsonDumps(partial),
      ...(existing ? {} : { completed_state: '{}' }),
    });
    return edit_run;
  }

  const at = (now: Date) => `${now.toISOString().slice(0, 19).replace('T', ' ')}+0000`;

  return {
    async set(stateId: string, input: PyValue): Promise<StateEditOutcome> {
      const state = validateSingerState(input);
      const now = clock();
      const edit_run = await inStateTransaction(db, now, async (s) => {
        await refuseWhileRunning(s, stateId);
        return write(s, stateId, state, PAYLOAD_STATE);
      });
      return finish({
        state_id: stateId,
        operation: 'set',
        edit_run,
        cleared: null,
        message: `State for ${stateId} was successfully set at ${at(now)}.`,
      });
    },

    async merge(stateId: string, input: PyValue): Promise<StateEditOutcome> {
      const state = validateSingerState(input);
      const now = clock();
      const edit_run = await inStateTransaction(db, now, async (s) => {
        await refuseWhileRunning(s, stateId);
        return write(s, stateId, state, PAYLOAD_INCOMPLETE_STATE);
      });
      return finish({
        state_id: stateId,
        operation: 'merge',
        edit_run,
        cleared: null,
        message: `State for ${stateId} was successfully merged at ${at(now)}.`,
      });
    },

    async clear(stateId: string): Promise<StateEditOutcome> {
      const now = clock();
      const result = await inStateTransaction(db, now, async (s) => {
        await refuseWhileRunning(s, stateId);
        if (s.schema.state) return { edit_run: null, cleared: await deleteStateRow(s, stateId) };
        // Before the state table, a clear was an empty complete state in the history.
        const had = dictGet(await historyState(s, stateId), 'singer_state') !== undefined;
        return { edit_run: await insertStateEditRow(s, stateId, emptyDict(), PAYLOAD_STATE), cleared: had };
      });
      return finish({
        state_id: stateId,
        operation: 'clear',
        ...result,
        message: `State for ${stateId} was successfully cleared.`,
      });
    },

    /** `StateService.copy_state`: set(destination, get(source)); a source without state is refused. */
    async copy(stateId: string, fromStateId: string): Promise<StateEditOutcome> {
      const now = clock();
      const edit_run = await inStateTransaction(db, now, async (s) => {
        await refuseWhileRunning(s, stateId);
        const source = await storedState(s, fromStateId);
        if (source === null || dictGet(source, 'singer_state') === undefined) {
          throw new NotFoundError('state', `No state stored for '${fromStateId}' to copy from`);
        }
        return write(s, stateId, validateSingerState(source), PAYLOAD_STATE);
      });
      return finish({
        state_id: stateId,
        operation: 'copy',
        edit_run,
        cleared: null,
        message: `State for ${stateId} was successfully copied from ${fromStateId} at ${at(now)}.`,
      });
    },
  };
}

export type StateEditor = ReturnType<typeof createStateEditor>;

/** `StateService.get_state`: partial merged onto completed (`json_merged`); null without a stored state. */
async function storedState(s: StateWriteSession, stateId: string): Promise<PyDict | null> {
  if (!s.schema.state) {
    const state = await historyState(s, stateId);
    return state.entries.length > 0 ? state : null;
  }
  const row = await readStateRow(s, stateId);
  if (!row) return null;
  const partial = parseStoredState(row.partial_state, `partial state of '${stateId}'`);
  const completed = parseStoredState(row.completed_state, `completed state of '${stateId}'`);
  const base = isPyDict(completed) ? completed : emptyDict();
  return isPyDict(partial) ? meltanoMerge(partial, base) : base;
}

/** `JobState.from_job_history` (and Meltano 2.6's get_state). */
async function historyState(s: StateWriteSession, stateId: string): Promise<PyDict> {
  const rows = await stateHistoryRows(s, stateId);
  let state = emptyDict();
  let since: number | null = null;
  for (let i = rows.length - 1; i >= 0; i--) {
    const row = rows[i];
    if (row && ((row.payload_flags ?? 0) & PAYLOAD_STATE) === PAYLOAD_STATE) {
      since = timestampToMicros(row.ended_at);
      const payload = parseStoredState(row.payload, `payload of a '${stateId}' run`);
      if (isPyDict(payload) && dictGet(payload, 'singer_state') !== undefined)
        state = meltanoMerge(payload, state);
      break;
    }
  }
  for (const row of rows) {
    if (((row.payload_flags ?? 0) & PAYLOAD_INCOMPLETE_STATE) !== PAYLOAD_INCOMPLETE_STATE) continue;
    const ended = timestampToMicros(row.ended_at);
    if (since !== null && (ended === null || ended <= since)) continue;
    const payload = parseStoredState(row.payload, `payload of a '${stateId}' run`);
    if (isPyDict(payload) && dictGet(payload, 'singer_state') !== undefined)
      state = meltanoMerge(payload, state);
  }
  return state;
}
