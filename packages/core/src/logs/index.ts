export { findRunLog, normalizeRunId } from './find-run-log.js';
export { type FollowChunk, type FollowLogOptions, followLog } from './follow-log.js';
export {
  countNewlines,
  LogLineIndex,
  type LogLineIndexOptions,
  logLineIndex,
} from './line-index.js';
export {
  DEFAULT_FILTER_LIMIT,
  type FilteredLog,
  type FilteredLogLine,
  type FilterLogOptions,
  filterLog,
  type LogLineFilter,
  MAX_FILTER_LIMIT,
} from './log-filter.js';
export { type LogRoot, type ResolveLogRootsOptions, resolveLogRoots } from './log-roots.js';
export {
  DEFAULT_MAX_SCAN_BYTES,
  type LogMatch,
  type LogSearchDirection,
  type LogSearchKind,
  type LogSearchOptions,
  type LogSearchResult,
  MAX_QUERY_LENGTH,
  searchLog,
} from './log-search.js';
export {
  LOG_LEVELS,
  LOG_SOURCES,
  LOG_STDIOS,
  LogLineClassifier,
  type LogLineContext,
  type LogLineLevel,
  type LogLineSource,
  type LogLineStdio,
  type PluginSources,
  parseLogLine,
  pluginSources,
} from './meltano-log-line.js';
export { type LogSource, openExistingLogFile, openLogFile, withLogHandle } from './open-log-file.js';
export {
  DEFAULT_CHUNK_LENGTH,
  type LogChunk,
  MAX_CHUNK_LENGTH,
  type ReadLogChunkOptions,
  readLogChunk,
  readLogTail,
} from './read-log.js';
export { type NumberedLogChunk, numberChunk, readLogFromLine } from './read-log-lines.js';
export { resolveInsideRoot } from './safe-path.js';
export { sanitizeStateId, slugifyLegacy } from './sanitize-state-id.js';
