import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so two reads of the same YAML value always compare equal. */
export function stableJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, val: unknown) => {
      if (val === null || typeof val !== 'object' || Array.isArray(val)) return val;
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(val).sort()) sorted[key] = (val as Record<string, unknown>)[key];
      return sorted;
    }) ?? 'undefined'
  );
}

/**
 * The version of an entity as a client saw it: a hash of its YAML value (every key, unknown ones and
 * `annotations` included). A write that carries an older version is refused instead of overwriting.
 */
export function entityVersion(raw: unknown): string {
  return createHash('sha256').update(stableJson(raw)).digest('hex').slice(0, 16);
}
