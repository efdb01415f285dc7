import { type LogLineSource, type PluginSources, parseLogLine } from '../logs/meltano-log-line.js';
import { parseSingerMetric, type SingerMetric } from './singer-metric.js';

/** The part a plugin plays in the run; Meltano's own lines carry no metrics. */
export type PluginRole = Exclude<LogLineSource, 'meltano'>;

/** A metric and the plugin that logged it. */
export interface MetricLine {
  plugin: string;
  plugin_role: PluginRole;
  metric: SingerMetric;
}

const PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)? +\[ *[A-Za-z]+ *\] ?/;
// Meltano 4.0 renders only `name=` of the plugin's context, last (keys sorted).
const TRAILING_NAME = / name=([^\s=]+)\s*$/;
// Meltano ≥ 4.1: the plugin's name as a column after the level.
const NAME_COLUMN = /^([A-Za-z0-9][\w.@-]*) /;
const PLUGIN_LOGGER = /^meltano\.plugins\.std(?:out|err)\.([a-z]+?)s?\.(.+)$/;
const ROLES: Record<string, PluginRole> = {
  extractor: 'extractor',
  loader: 'loader',
  mapper: 'mapper',
  transformer: 'transformer',
  utility: 'utility',
};

/**
 * The Singer metric on one elt.log line and which plugin wrote it, or null. The writer comes from
 * Meltano's line format (logs/meltano-log-line.ts): v2/v3's `cmd_type=… name=…` context (`elb` with
 * producer/consumer in `meltano run`), v4's name column. Two v4 cases that parser leaves to
 * Meltano need handling here: 4.0's lone trailing `name=tap-x`, and a v4 name column for a plugin the
 * project no longer lists (its log outlives it); Meltano never logs a METRIC itself, so such a line
 * is the plugin's.
 */
export function parseMetricLine(line: string, plugins: PluginSources): MetricLine | null {
  const prefix = PREFIX.exec(line);
  if (!prefix) return null; // an unprefixed line continues Meltano's own multi-line message
  const metric = parseSingerMetric(line.slice(prefix[0].length));
  if (metric === null) return null;
  const context = parseLogLine(line, plugins);
  if (context && context.source !== 'meltano' && context.name !== null) {
    return { plugin: context.name, plugin_role: context.source, metric };
  }
  const writer = unlistedWriter(line.slice(prefix[0].length), plugins);
  return writer ? { ...writer, metric } : null;
}

function unlistedWriter(rest: string, plugins: PluginSources): Omit<MetricLine, 'metric'> | null {
  const trailing = TRAILING_NAME.exec(rest)?.[1];
  if (trailing !== undefined) {
    return trailing === 'meltano' ? null : { plugin: trailing, plugin_role: roleOf(trailing, plugins) };
  }
  const column = NAME_COLUMN.exec(rest)?.[1];
  if (column === undefined || column === 'meltano' || column.startsWith('METRIC')) return null;
  const logger = PLUGIN_LOGGER.exec(column);
  if (logger) {
    const name = logger[2] ?? column;
    return { plugin: name, plugin_role: ROLES[logger[1] ?? ''] ?? roleOf(name, plugins) };
  }
  return { plugin: column, plugin_role: roleOf(column, plugins) };
}

/**
 * A plugin's role from the project, else from the naming convention every Singer plugin on Meltano
 * Hub follows (`tap-…` extracts, `target-…` loads): the only clue left for a plugin since removed.
 */
function roleOf(name: string, plugins: PluginSources): PluginRole {
  const source = plugins.get(name);
  if (source !== undefined && source !== 'meltano') return source;
  if (/^tap[-_]/i.test(name)) return 'extractor';
  if (/^target[-_]/i.test(name)) return 'loader';
  if (/^(?:map|meltano-map)[-_]/i.test(name)) return 'mapper';
  return 'utility';
}
