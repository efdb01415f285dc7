/**
 * One elt.log line as Meltano's structlog console renderer wrote it:
 * v2/v3 `2026-11-21T04:36:48.418458Z [info     ] RuntimeError: boom   cmd_type=extractor name=tap-x … stdio=stderr`,
 * v4   `2026-11-21T04:39:52.822068Z [info     ] tap-x        RuntimeError: boom`.
 * Lines without that prefix are the continuation of a multi-line message or a traceback Meltano
 * printed itself; plugins' lines always carry the prefix (Meltano logs their output line by line).
 */
export interface MeltanoLogLine {
  /** False for a line without the timestamp-and-level prefix. */
  prefixed: boolean;
  /** structlog's level (`info`, `error`, …), null on an unprefixed line. */
  level: string | null;
  /** The plugin's name, or `meltano` for Meltano's own lines (and every unprefixed line). */
  name: string;
  /** `extractor`, `loader`, `mapper`, …; null for Meltano's lines and in v4, which does not print it. */
  cmd_type: string | null;
  /** The text without timestamp, level, logger column and key=value context. */
  message: string;
}

export type LineFormat = 'key_value' | 'name_column';

const PREFIX = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)?) \[([a-z]+) *\] ?(.*)$/s;
// v4 pads the logger name to 12 columns; Meltano's own logger is always present, so its padded
// name tells the format of the file.
const V4_MELTANO = /^\S+ \[[a-z]+ *\] meltano {6}\S/m;
const NAME_WIDTH = 12;
// One trailing `key=value` pair; structlog quotes values holding spaces (repr).
const TRAILING_PAIR = / ([a-z_][a-z0-9_]*)=("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s"']\S*)$/;
const V4_PLUGIN_LOGGER = /^meltano\.plugins\.std(?:out|err)\.([a-z]+?)s?\.(.+)$/;
const MELTANO_CMD_TYPES = new Set(['elt', 'meltano']);

/** Which of the two prefixes a log uses, from a sample of its lines. */
export function detectLineFormat(sample: string): LineFormat {
  return V4_MELTANO.test(sample) ? 'name_column' : 'key_value';
}

export function parseMeltanoLogLine(text: string, format: LineFormat): MeltanoLogLine {
  const m = PREFIX.exec(text);
  if (!m) return { prefixed: false, level: null, name: 'meltano', cmd_type: null, message: text };
  const level = m[2] ?? null;
  const rest = m[3] ?? '';
  return format === 'name_column' ? nameColumnLine(level, rest) : keyValueLine(level, rest);
}

function nameColumnLine(level: string | null, rest: string): MeltanoLogLine {
  const space = rest.indexOf(' ');
  const logger = space === -1 ? rest : rest.slice(0, space);
  // The plugin's own text starts right after the padded column: leading spaces are its own
  // (a traceback's `  File …`).
  const start = Math.max(logger.length, NAME_WIDTH) + 1;
  const message = space === -1 ? '' : rest.slice(Math.min(start, rest.length));
  const plugin = V4_PLUGIN_LOGGER.exec(logger);
  if (plugin)
    return { prefixed: true, level, name: plugin[2] ?? logger, cmd_type: plugin[1] ?? null, message };
  return { prefixed: true, level, name: logger, cmd_type: null, message };
}

function keyValueLine(level: string | null, rest: string): MeltanoLogLine {
  const pairs = new Map<string, string>();
  let message = rest;
  let previousKey: string | null = null;
  for (;;) {
    const pair = TRAILING_PAIR.exec(message);
    // structlog sorts the keys, so read from the end they descend: a `id=1` that ends the message
    // itself (`Emitted record id=1   cmd_type=…`) is not taken for context.
    if (!pair || (previousKey !== null && (pair[1] ?? '') >= previousKey)) break;
    previousKey = pair[1] ?? '';
    pairs.set(previousKey, unquote(pair[2] ?? ''));
    message = message.slice(0, pair.index);
  }
  const cmdType = pairs.get('cmd_type') ?? null;
  const name = pairs.get('name');
  const fromPlugin =
    cmdType !== null && !MELTANO_CMD_TYPES.has(cmdType) && name !== undefined && name !== 'meltano';
  if (fromPlugin) {
    const type = cmdType === 'elb' ? blockRole(pairs) : cmdType;
    return { prefixed: true, level, name, cmd_type: type, message: message.replace(/ +$/, '') };
  }
  // Meltano pads its event to 30 columns before the context; what still follows a run of spaces is
  // context with values structlog did not quote (v2: `message=RuntimeError: boom name=meltano`).
  const padded = / {2,}[a-z_][a-z0-9_]*=/.exec(message);
  const own = padded ? message.slice(0, padded.index) : message;
  return { prefixed: true, level, name: 'meltano', cmd_type: null, message: own.trim() };
}

/** `meltano run` logs its plugins as `cmd_type=elb` with their place in the block. */
function blockRole(pairs: Map<string, string>): string | null {
  const producer = pairs.get('producer') === 'True';
  const consumer = pairs.get('consumer') === 'True';
  if (producer && consumer) return 'mapper';
  if (producer) return 'extractor';
  if (consumer) return 'loader';
  return null;
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
    return value.slice(1, -1).replace(/\\(.)/g, '$1');
  }
  return value;
}
