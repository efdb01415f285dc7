import { objectEnd, readLiteral } from './python-literal.js';

/**
 * One Singer metric point (https://hub.meltano.com/singer/spec#metrics) as a plugin logged it.
 * `type` is `counter` or `timer` (anything else is kept as written); timers' values are seconds.
 */
export interface SingerMetric {
  type: string;
  metric: string;
  value: number;
  tags: Record<string, unknown>;
}

// Meltano 4's rendering of a structured SDK metric keeps only the name and the value, so the type
// is what the SDK and singer-python give these names.
const KNOWN_TYPES: Record<string, string> = {
  record_count: 'counter',
  batch_count: 'counter',
  http_request_count: 'counter',
  http_request_duration: 'timer',
  sync_duration: 'timer',
  batch_processing_time: 'timer',
  job_duration: 'timer',
};

const MARKER = 'METRIC';
const STRUCTURED_NAME = / metric_name=(\S+)/;
const STRUCTURED_VALUE = / metric_value=(\S+)/;

/**
 * The metric in a plugin's log message, in any of the forms plugins and Meltano write:
 * - singer-python, SDK ≤ 0.22: `INFO METRIC: {"type"|"metric_type": "counter", "metric": …}`;
 * - the SDK's `METRIC: {…}` / newer `METRIC {…}` (compact JSON), behind its own
 *   `time | level | logger |` prefix or bare;
 * - SDK 0.6's Python repr (`{'type': 'counter', …}`);
 * - Meltano 4's rendering of a structured SDK log: `METRIC   metric_name=record_count
 *   metric_value=136` (the tags are dropped by Meltano).
 * Anything after the object (Meltano's `key=value` context) is ignored. Null when there is none.
 */
export function parseSingerMetric(text: string): SingerMetric | null {
  for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + MARKER.length)) {
    let i = at + MARKER.length;
    if (text.charCodeAt(i) === 0x3a) i += 1; // ':'
    while (text.charCodeAt(i) === 0x20) i += 1;
    if (text.charCodeAt(i) === 0x7b) {
      const metric = fromPoint(readObject(text, i));
      if (metric) return metric;
      continue;
    }
    const metric = fromStructured(text.slice(at));
    if (metric) return metric;
  }
  return null;
}

function readObject(text: string, start: number): unknown {
  const end = objectEnd(text, start);
  if (end === -1) return null;
  const source = text.slice(start, end);
  try {
    return JSON.parse(source);
  } catch {
    return readLiteral(source, 0)?.value ?? null;
  }
}

function fromPoint(point: unknown): SingerMetric | null {
  if (!isRecord(point)) return null;
  const metric = point.metric ?? point.metric_name;
  if (typeof metric !== 'string' || metric === '') return null;
  const value = numberOf(point.value ?? point.metric_value);
  if (value === null) return null;
  const declared = point.type ?? point.metric_type;
  const type = typeof declared === 'string' ? declared : (KNOWN_TYPES[metric] ?? 'counter');
  return { type, metric, value, tags: isRecord(point.tags) ? point.tags : {} };
}

function fromStructured(text: string): SingerMetric | null {
  const name = STRUCTURED_NAME.exec(text)?.[1];
  const value = numberOf(STRUCTURED_VALUE.exec(text)?.[1]);
  if (name === undefined || value === null) return null;
  return { type: KNOWN_TYPES[name] ?? 'counter', metric: unquote(name), value, tags: {} };
}

function numberOf(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : null;
}

function unquote(value: string): string {
  const q = value[0];
  return (q === '"' || q === "'") && value.endsWith(q) && value.length >= 2 ? value.slice(1, -1) : value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
