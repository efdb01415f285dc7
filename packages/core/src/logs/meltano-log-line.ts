/**
 * Who wrote a line of a Meltano elt.log, and at what level, from the structlog console format
 * (`2026-11-21T04:36:48.408883Z [info     ] message key=value …`). The format is informal text, so
 * this reads what the real CLI writes (test-fixtures/real-meltano) and falls back to "Meltano
 * itself" when a line says nothing:
 * - v2/v3 plugin lines end with sorted context keys from `cmd_type=` on (`cmd_type=extractor
 *   name=tap-x … stdio=stderr`); `meltano run` blocks say `cmd_type=elb` with `producer`/`consumer`.
 * - v4 lines carry the logger's short name as a padded column after the level
 *   (`[info     ] tap-demo     INFO …`) and no stdio; the name's type comes from the project.
 * - A line without the timestamp prefix (a multi-line message, Meltano's own traceback) continues
 *   the record before it.
 */

export const LOG_LEVELS = ['debug', 'info', 'warning', 'error', 'critical'] as const;
export type LogLineLevel = (typeof LOG_LEVELS)[number];
export const LOG_SOURCES = ['extractor', 'loader', 'mapper', 'transformer', 'utility', 'meltano'] as const;
export type LogLineSource = (typeof LOG_SOURCES)[number];
export const LOG_STDIOS = ['stdout', 'stderr'] as const;
export type LogLineStdio = (typeof LOG_STDIOS)[number];

export interface LogLineContext {
  level: LogLineLevel;
  source: LogLineSource;
  /** The plugin's name (or `meltano`); null when the line does not say. */
  name: string | null;
  /** Null for Meltano's own lines and for v4 logs, which do not record it. */
  stdio: LogLineStdio | null;
}

/** Plugin names → their source, from the project (`extractors` → `extractor`, …). */
export type PluginSources = ReadonlyMap<string, LogLineSource>;

const PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)? +\[ *([A-Za-z]+) *\] ?/;
// The v4 logger-name column: a name padded to 12 characters, then one space.
const V4_NAME = /^([A-Za-z0-9][\w.@-]*) /;
const V4_NAME_WIDTH = 12;
// A plugin's own level at the start of its message (`INFO …`, `ERROR: …`, singer-sdk's `… | ERROR | …`).
const OWN_LEVEL = /^(?:\S+ \S+ \| )?(DEBUG|INFO|WARNING|WARN|ERROR|CRITICAL|FATAL)\b/;
const CONTEXT_START = / cmd_type=\S+/;

const TYPE_SOURCES: Record<string, LogLineSource> = {
  extractor: 'extractor',
  extractors: 'extractor',
  loader: 'loader',
  loaders: 'loader',
  mapper: 'mapper',
  mappers: 'mapper',
  transformer: 'transformer',
  transformers: 'transformer',
  transforms: 'transformer',
  utility: 'utility',
  utilities: 'utility',
  orchestrators: 'utility',
  files: 'utility',
};

/** The sources of a project's plugins, for v4 logs and lines that name a plugin but not its type. */
export function pluginSources(plugins: readonly { type: string; name: string }[]): PluginSources {
  const map = new Map<string, LogLineSource>();
  for (const plugin of plugins) {
    const source = TYPE_SOURCES[plugin.type];
    if (source) map.set(plugin.name, source);
  }
  return map;
}

/** What a prefixed line says; null for a line without the prefix (it continues the one before). */
export function parseLogLine(line: string, plugins: PluginSources): LogLineContext | null {
  const prefix = PREFIX.exec(line);
  if (!prefix) return null;
  const meltanoLevel = levelOf(prefix[1] ?? '');
  const rest = line.slice(prefix[0].length);
  const context = CONTEXT_START.exec(rest);
  if (context) {
    const keys = contextKeys(rest.slice(context.index + 1));
    const name = keys.get('name') ?? null;
    const source = sourceOf(keys, name, plugins);
    const stdio = keys.get('stdio');
    const message = rest.slice(0, context.index);
    return {
      level: source === 'meltano' ? meltanoLevel : ownLevel(message, meltanoLevel),
      source,
      name,
      stdio: stdio === 'stdout' || stdio === 'stderr' ? stdio : null,
    };
  }
  const v4Name = V4_NAME.exec(rest)?.[1];
  if (v4Name !== undefined && v4Name !== 'meltano' && plugins.has(v4Name)) {
    return {
      level: ownLevel(rest.slice(v4MessageStart(rest, v4Name)), meltanoLevel),
      source: plugins.get(v4Name) ?? 'utility',
      name: v4Name,
      stdio: null,
    };
  }
  return { level: meltanoLevel, source: 'meltano', name: 'meltano', stdio: null };
}

function sourceOf(keys: Map<string, string>, name: string | null, plugins: PluginSources): LogLineSource {
  const type = keys.get('cmd_type') ?? '';
  if (name === 'meltano' || type === 'elt') return 'meltano';
  const direct = TYPE_SOURCES[type];
  if (direct) return direct;
  if (type === 'elb') {
    const producer = keys.get('producer') === 'True';
    const consumer = keys.get('consumer') === 'True';
    if (producer && consumer) return 'mapper';
    if (producer) return 'extractor';
    if (consumer) return 'loader';
  }
  return (name === null ? undefined : plugins.get(name)) ?? 'utility';
}

/** `key=value` pairs of structlog's context tail (values without spaces, which these keys have). */
function contextKeys(tail: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const pair of tail.split(' ')) {
    const eq = pair.indexOf('=');
    if (eq > 0) keys.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return keys;
}

function ownLevel(message: string, fallback: LogLineLevel): LogLineLevel {
  const m = OWN_LEVEL.exec(message);
  return m ? levelOf(m[1] ?? '') : fallback;
}

function levelOf(name: string): LogLineLevel {
  const level = name.toLowerCase();
  if (level === 'debug' || level === 'trace') return 'debug';
  if (level.startsWith('warn')) return 'warning';
  if (level === 'error' || level === 'exception' || level === 'err') return 'error';
  if (level === 'critical' || level === 'fatal') return 'critical';
  return 'info';
}

const TRACEBACK_START = /^Traceback \(most recent call last\)/;
const INDENTED = /^\s/;

/**
 * Gives every line of a log, read in order, its context: a line without the prefix continues the
 * record before it, and a plugin's Python traceback (which Meltano logs at `info`, line by line)
 * counts as `error` from its `Traceback` line to the exception line that ends it.
 */
export class LogLineClassifier {
  private last: LogLineContext = { level: 'info', source: 'meltano', name: 'meltano', stdio: null };
  private readonly openTracebacks = new Set<string>();

  constructor(private readonly plugins: PluginSources) {}

  /** Starts from a known record (the nearest prefixed line above where reading starts). */
  seed(line: string): void {
    const context = parseLogLine(line, this.plugins);
    if (context) this.last = context;
  }

  next(line: string): LogLineContext {
    const context = parseLogLine(line, this.plugins);
    if (!context) return this.last;
    this.last = context;
    if (context.source === 'meltano' || context.name === null) return context;
    const message = pluginMessage(line);
    const key = context.name;
    if (TRACEBACK_START.test(message)) {
      this.openTracebacks.add(key);
      return this.asError(context);
    }
    if (!this.openTracebacks.has(key)) return context;
    if (!INDENTED.test(message)) this.openTracebacks.delete(key);
    return this.asError(context);
  }

  private asError(context: LogLineContext): LogLineContext {
    if (context.level === 'error' || context.level === 'critical') return context;
    const error = { ...context, level: 'error' as const };
    this.last = error;
    return error;
  }
}

/** A prefixed plugin line's own text: after the prefix (and v4's name column), before the context. */
export function pluginMessage(line: string): string {
  const prefix = PREFIX.exec(line);
  if (!prefix) return line;
  const rest = line.slice(prefix[0].length);
  const context = CONTEXT_START.exec(rest);
  if (context) return rest.slice(0, context.index).trimEnd();
  const v4Name = V4_NAME.exec(rest)?.[1];
  return v4Name === undefined ? rest : rest.slice(v4MessageStart(rest, v4Name));
}

/** Where the message starts after v4's name column (the message's own indentation is kept). */
function v4MessageStart(rest: string, name: string): number {
  const padded = Math.max(name.length, V4_NAME_WIDTH) + 1;
  return rest.slice(name.length, padded).trim() === '' ? padded : name.length + 1;
}
