export { findRunLog, normalizeRunId } from './find-run-log.js';
export { type FollowChunk, type FollowLogOptions, followLog } from './follow-log.js';
export { type LogRoot, type ResolveLogRootsOptions, resolveLogRoots } from './log-roots.js';
export {
  DEFAULT_CHUNK_LENGTH,
  type LogChunk,
  MAX_CHUNK_LENGTH,
  type ReadLogChunkOptions,
  readLogChunk,
  readLogTail,
} from './read-log.js';
export { resolveInsideRoot } from './safe-path.js';
export { sanitizeStateId, slugifyLegacy } from './sanitize-state-id.js';
