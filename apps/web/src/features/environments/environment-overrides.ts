/** One overridden setting: its dotted name (`nested.key`) and its value as text. */
export interface OverrideEntry {
  key: string;
  value: string;
}

const asText = (value: unknown): string =>
  typeof value === 'string' ? value : value === undefined ? '' : JSON.stringify(value);

/**
 * A plugin override's `config` as rows: nested objects become dotted names, as `meltano config` prints
 * them; lists and scalars are shown as written (JSON for non-strings).
 */
export function flattenConfig(config: Record<string, unknown>, prefix = ''): OverrideEntry[] {
  return Object.entries(config).flatMap(([key, value]) => {
    const dotted = prefix === '' ? key : `${prefix}.${key}`;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const nested = flattenConfig(value as Record<string, unknown>, dotted);
      return nested.length > 0 ? nested : [{ key: dotted, value: '{}' }];
    }
    return [{ key: dotted, value: asText(value) }];
  });
}

/** Each key of a map (env vars, extras such as `select`) as a row, in file order. */
export const entries = (map: Record<string, unknown>): OverrideEntry[] =>
  Object.entries(map).map(([key, value]) => ({ key, value: asText(value) }));

/** How many things an environment changes: env vars plus each override's settings, env and extras. */
export function overrideCount(environment: {
  env: Record<string, string>;
  plugin_overrides: {
    config: Record<string, unknown>;
    env: Record<string, string>;
    extras: Record<string, unknown>;
  }[];
}): number {
  return (
    Object.keys(environment.env).length +
    environment.plugin_overrides.reduce(
      (sum, o) =>
        sum + flattenConfig(o.config).length + Object.keys(o.env).length + Object.keys(o.extras).length,
      0,
    )
  );
}
