export type { RunFilter, RunPage, RunStats, RunStatus, RunView, StateIdSummary } from './run.types.js';
export { RUN_STATUSES } from './run.types.js';
export {
  HEARTBEAT_VALID_MINUTES,
  HEARTBEATLESS_JOB_VALID_HOURS,
  isStale,
  runStatus,
  staleThresholds,
} from './run-status.js';
export type { StateIdRunSummary } from './run-summary-cache.js';
export { SUMMARY_RECENT_RUNS } from './run-summary-index.js';
export type { RunsRepository } from './runs.repository.js';
export { mergeState, type StateRepository, type StateView } from './state.repository.js';
