import { detectLineFormat, type MeltanoLogLine, parseMeltanoLogLine } from './meltano-log-line.js';

/**
 * Why a run failed, as the log (or, without one, the runs row) tells it:
 * `exception` the final line of a plugin's Python traceback, `error_line` a plugin's last
 * ERROR/CRITICAL line, `meltano` Meltano's own "Extractor failed" style line, `run_row` the row's
 * payload error.
 */
export type FailureCauseKind = 'exception' | 'error_line' | 'meltano' | 'run_row';

export interface FailureCause {
  /** The line's own text: Meltano's timestamp, level and key=value context removed. */
  message: string;
  /** 1-based line number in elt.log; null for `run_row`. */
  line: number | null;
  /** The plugin that wrote it (`tap-github`), or `meltano`; null for `run_row`. */
  source: string | null;
  /** The plugin's type when the log says it (`extractor`, `loader`, …). */
  cmd_type: string | null;
  kind: FailureCauseKind;
}

export interface LogLineText {
  /** 1-based line number, or any increasing key the caller maps back (a byte offset). */
  line: number;
  text: string;
}

export interface FindFailureCauseOptions {
  /** Plugin name → type, for v4 logs, which do not print `cmd_type`. */
  pluginTypes?: ReadonlyMap<string, string>;
}

const FORMAT_SAMPLE_LINES = 500;

/** Messages longer than this are cut (the whole line is one click away). */
export const MAX_CAUSE_LENGTH = 2000;

const TRACEBACK_START = /^\s*Traceback \(most recent call last\):\s*$/;
const CHAIN_SEPARATOR =
  /^(?:The above exception was the direct cause of the following exception:|During handling of the above exception, another exception occurred:)\s*$/;
// `module.Error: message`, `Error`, `KeyboardInterrupt`: what Python prints after the frames.
const EXCEPTION_LINE = /^[A-Za-z_][\w.]*(?::(?:\s.*)?)?$/s;
// A plugin's own log levels: singer-python (`CRITICAL msg`, `ERROR:root:msg`), the Singer SDK
// (`2024-06-13 10:00:00,000 | ERROR    | tap-x | msg`) and logfmt (`level=error msg=…`).
const PLUGIN_ERROR =
  /^(?:CRITICAL|ERROR|FATAL)\b|\|\s*(?:ERROR|CRITICAL)\s*\||\blevel=(?:error|critical|fatal)\b|"level(?:name)?"\s*:\s*"(?:error|critical|fatal)"/i;
const ERROR_LEVELS = new Set(['error', 'critical', 'fatal']);
// Meltano's own error-level lines that say nothing about the cause.
const MELTANO_NOISE =
  /^(?:Need help fixing this problem\?|Block run completed|For more (?:detailed|information))/;
const FAILED_TYPE =
  /\b(Extractor|Extraction|Loader|Loading|Mappers?|Transformer|Transformation|Utility)(?: and (loader))? failed/gi;
const FAILED_TYPE_NAMES: Record<string, string> = {
  extractor: 'extractor',
  extraction: 'extractor',
  loader: 'loader',
  loading: 'loader',
  mapper: 'mapper',
  mappers: 'mapper',
  transformer: 'transformer',
  transformation: 'transformer',
  utility: 'utility',
};

interface Candidate {
  kind: Exclude<FailureCauseKind, 'run_row'>;
  line: number;
  message: string;
  source: string;
  cmd_type: string | null;
}

type TracebackState = 'frames' | 'between' | null;

/**
 * The failure cause in a stretch of log lines (the tail of elt.log, in order), or null when it
 * holds none. A plugin's traceback wins over its ERROR lines, which win over Meltano's own; among
 * plugins, those of the type Meltano says failed ("Extractor failed") come first; the last one wins.
 */
export function findFailureCause(
  lines: LogLineText[],
  opts: FindFailureCauseOptions = {},
): FailureCause | null {
  const format = detectLineFormat(
    lines
      .slice(0, FORMAT_SAMPLE_LINES)
      .map((l) => l.text)
      .join('\n'),
  );
  const tracebacks = new Map<string, TracebackState>();
  const plugin: Candidate[] = [];
  const meltanoLines: Candidate[] = [];
  const meltanoExceptions: Candidate[] = [];
  const failedTypes = new Set<string>();

  for (const { line, text } of lines) {
    const parsed = parseMeltanoLogLine(text.replace(/\r$/, ''), format);
    const isMeltano = parsed.name === 'meltano';
    const cmdType = parsed.cmd_type ?? opts.pluginTypes?.get(parsed.name) ?? null;
    const candidate = (kind: Candidate['kind'], message: string): Candidate => ({
      kind,
      line,
      message: clip(message),
      source: parsed.name,
      cmd_type: isMeltano ? null : cmdType,
    });

    const exception = tracebackStep(tracebacks, parsed);
    if (exception !== null) {
      if (isMeltano) meltanoExceptions.push(candidate('meltano', exception));
      else plugin.push(candidate('exception', exception));
      continue;
    }
    if (isMeltano) {
      if (!parsed.prefixed || !ERROR_LEVELS.has(parsed.level ?? '')) continue;
      for (const m of parsed.message.matchAll(FAILED_TYPE)) {
        for (const word of [m[1], m[2]]) {
          const type = word ? FAILED_TYPE_NAMES[word.toLowerCase()] : undefined;
          if (type) failedTypes.add(type);
        }
      }
      if (parsed.message !== '' && !MELTANO_NOISE.test(parsed.message)) {
        meltanoLines.push(candidate('meltano', parsed.message));
      }
      continue;
    }
    if (ERROR_LEVELS.has(parsed.level ?? '') || PLUGIN_ERROR.test(parsed.message)) {
      plugin.push(candidate('error_line', parsed.message.trim()));
    }
  }

  const ofFailedType = plugin.filter((c) => c.cmd_type !== null && failedTypes.has(c.cmd_type));
  const pluginPool = ofFailedType.length > 0 ? ofFailedType : plugin;
  const best =
    lastOf(pluginPool, 'exception') ??
    lastOf(pluginPool, 'error_line') ??
    meltanoLines.at(-1) ??
    meltanoExceptions.at(-1) ??
    null;
  if (best === null) return null;
  return {
    message: best.message,
    line: best.line,
    source: best.source,
    cmd_type: best.cmd_type,
    kind: best.kind,
  };
}

/**
 * Follows each source's traceback (sources interleave in elt.log) and returns the exception line
 * that ends one. A chained traceback ("The above exception was the direct cause…", "During handling
 * of the above exception…") ends several times; the last one is the exception that escaped.
 */
function tracebackStep(state: Map<string, TracebackState>, parsed: MeltanoLogLine): string | null {
  const key = parsed.name;
  const message = parsed.message;
  if (TRACEBACK_START.test(message)) {
    state.set(key, 'frames');
    return null;
  }
  const current = state.get(key) ?? null;
  if (current === null) return null;
  if (message.trim() === '') return null; // blank lines around a chain separator
  if (CHAIN_SEPARATOR.test(message.trim())) {
    state.set(key, 'between');
    return null;
  }
  if (current === 'frames' && /^\s/.test(message)) return null; // `  File …`, code, `^^^^`
  state.set(key, null);
  if (current === 'frames' && EXCEPTION_LINE.test(message)) return message.trimEnd();
  return null;
}

function lastOf(candidates: Candidate[], kind: Candidate['kind']): Candidate | null {
  for (let i = candidates.length - 1; i >= 0; i -= 1) {
    const c = candidates[i];
    if (c?.kind === kind) return c;
  }
  return null;
}

function clip(message: string): string {
  return message.length > MAX_CAUSE_LENGTH ? `${message.slice(0, MAX_CAUSE_LENGTH - 1)}…` : message;
}
