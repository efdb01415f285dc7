/**
 * Small readers for values that come straight out of YAML/JSON, where nothing can be trusted to have the
 * shape the schema promises (old files, hand edits, `config: null`).
 */

export type RawMap = Record<string, unknown>;

export function isRecord(value: unknown): value is RawMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A mapping, or {} for null/missing/anything else. */
export function asRecord(value: unknown): RawMap {
  return isRecord(value) ? value : {};
}

/** A list, or [] for null/missing; a lone non-list value becomes a one-item list. */
export function asList(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  return value === null || value === undefined ? [] : [value];
}

/** Scalars as strings (numbers such as `variant: 1` happen), null for missing/empty/collections. */
export function optString(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return scalarToString(value);
  }
  return null;
}

/** Python's `str()` of a YAML scalar, so env values read the way Meltano passes them on. */
export function scalarToString(value: string | number | boolean | bigint): string {
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  return String(value);
}

/** An `env:` block: values coerced to strings like Meltano's `load_env`; null values are dropped. */
export function toEnvRecord(value: unknown): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, raw] of Object.entries(asRecord(value))) {
    const str = optString(raw);
    if (str !== null) env[key] = str;
    else if (raw !== null && raw !== undefined) env[key] = JSON.stringify(raw);
  }
  return env;
}

export function stringList(value: unknown): string[] {
  return asList(value)
    .map(optString)
    .filter((item): item is string => item !== null);
}

/** Meltano's deep merge: mappings merge recursively, lists concatenate, anything else is replaced. */
export function deepMerge(base: RawMap, override: RawMap): RawMap {
  const merged: RawMap = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const current = merged[key];
    if (isRecord(value) && isRecord(current)) merged[key] = deepMerge(current, value);
    else if (Array.isArray(value) && Array.isArray(current)) merged[key] = [...current, ...value];
    else merged[key] = value;
  }
  return merged;
}

/** Flatten nested mappings with `.` like Meltano's `flatten(..., "dot")`; empty mappings vanish. */
export function flattenDots(value: RawMap, prefix = '', into: RawMap = {}): RawMap {
  for (const [key, item] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (isRecord(item)) flattenDots(item, path, into);
    else into[path] = item;
  }
  return into;
}
