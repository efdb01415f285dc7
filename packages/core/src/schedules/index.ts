export { describeInterval, type IntervalInfo, nextRunTimes } from './interval.js';
export { jobStateIds, scheduleStateIds } from './state-ids.js';
