/**
 * A Meltano log line as the plugin (or Meltano) wrote it: without the timestamp, the `[level]`
 * column, v4's logger-name column and structlog's trailing `key=value` context, so copied text
 * matches the plugin's own output. Lines without Meltano's prefix are left as they are.
 */

const PREFIX = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:?\d\d)? +\[ *[A-Za-z]+ *\] ?/;
// v2/v3 plugin lines: the context keys are sorted, and `cmd_type` comes first.
const PLUGIN_CONTEXT = / +cmd_type=\S+( [a-z_]+=\S*)*$/;
// Meltano's own lines carry a few of these keys, sorted, after the (padded) message.
const MELTANO_KEY =
  / +(code|job_name|message|name|run_id|state_id|string_id|consumer|producer|stdio)=("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|\S*)$/;
// v4's logger-name column: padded to 12 characters then a space; a longer name takes one space.
const V4_PADDED = /^(\S{1,11}) +/;
const V4_LONG = /^((?:tap|target|dbt|map|meltano|airflow|dagster)[\w.-]{8,}) /;
const V4_WIDTH = 13;

export interface BareLine {
  text: string;
  /** UTF-16 units cut from the start: a match column in the raw line minus this is in `text`. */
  cut: number;
}

export function bareLine(raw: string): BareLine {
  const prefix = PREFIX.exec(raw);
  if (!prefix) return { text: raw, cut: 0 };
  const start = prefix[0].length;
  let rest = raw.slice(start);
  const plugin = PLUGIN_CONTEXT.exec(rest);
  if (plugin) return { text: rest.slice(0, plugin.index).trimEnd(), cut: start };
  const v4 = v4Column(rest);
  if (v4 > 0) return { text: rest.slice(v4), cut: start + v4 };
  for (let key = MELTANO_KEY.exec(rest); key; key = MELTANO_KEY.exec(rest)) rest = rest.slice(0, key.index);
  return { text: rest.trimEnd(), cut: start };
}

/** Length of v4's name column at the start of `rest`, or 0 when the line has none. */
function v4Column(rest: string): number {
  const padded = V4_PADDED.exec(rest);
  // Padding to the column: the name and its spaces fill exactly 13 characters (or more spaces, for indentation).
  if (padded && padded[0].length >= V4_WIDTH && (padded[1]?.length ?? 0) + 2 <= V4_WIDTH) {
    return V4_WIDTH;
  }
  const long = V4_LONG.exec(rest);
  return long ? long[0].length : 0;
}
