export {
  type FailureCause,
  type FailureCauseKind,
  type FindFailureCauseOptions,
  findFailureCause,
  type LogLineText,
  MAX_CAUSE_LENGTH,
} from './failure-cause.js';
export { FailureCauseService, type FailureCauseServiceOptions } from './failure-cause-service.js';
export {
  createFailureCausesRepository,
  type FailureCausesRepository,
  type StoredFailureCause,
} from './failure-causes.repository.js';
export {
  type LogFailureCause,
  type ReadFailureCauseOptions,
  readFailureCause,
} from './read-failure-cause.js';
