export { type MetricLine, type PluginRole, parseMetricLine } from './metric-line.js';
export {
  type ReadRunMetricsOptions,
  type RunMetricsProgress,
  type RunMetricsRead,
  readRunMetrics,
} from './read-run-metrics.js';
export {
  createRunMetricsRepository,
  type RunMetricsLog,
  type RunMetricsRepository,
  type StoredRunMetrics,
  type StoredRunRecords,
  type StoredRunStreams,
} from './run-metrics.repository.js';
export type {
  BatchMetrics,
  HttpEndpointMetrics,
  OtherMetric,
  RunMetrics,
  RunRecords,
  StreamMetrics,
  StreamSummary,
} from './run-metrics.types.js';
export {
  MAX_ENDPOINTS,
  MAX_OTHER,
  MAX_STREAMS,
  RUN_METRICS_FORMAT,
  RunMetricsAggregator,
  type RunMetricsAggregatorState,
} from './run-metrics-aggregator.js';
export {
  RunMetricsService,
  type RunMetricsServiceOptions,
  type RunMetricsView,
} from './run-metrics-service.js';
export { parseSingerMetric, type SingerMetric } from './singer-metric.js';
export {
  MAX_CHART_STREAMS,
  type StreamRecordRun,
  type StreamRecordSeries,
  streamRecordSeries,
} from './stream-records.js';
