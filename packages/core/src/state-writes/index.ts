export {
  InvalidStateError,
  MAX_STATE_BYTES,
  stateFromJsonText,
  validateSingerState,
} from './singer-state.js';
export {
  createStateEdits,
  StateCliError,
  type StateEdits,
  stateBackendScheme,
  stateCliArgs,
  stateViaCli,
} from './state-backend.js';
export {
  createStateEditor,
  type StateEditOutcome,
  type StateEditor,
  type StateOperation,
} from './state-edits.js';
