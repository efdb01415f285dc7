export { parseDurationSeconds } from './duration.js';
export { describeInterval, type IntervalInfo, intervalCron, nextRunTimes } from './interval.js';
export {
  defaultGraceSeconds,
  EARLY_START_MS,
  type Lateness,
  type LatenessInput,
  type LatenessStatus,
  MAX_COUNTED_MISSES,
  MIN_GRACE_SECONDS,
  scheduleLateness,
} from './lateness.js';
export { jobStateIds, scheduleStateIds } from './state-ids.js';
