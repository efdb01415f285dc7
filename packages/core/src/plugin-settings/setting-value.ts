import { maskUriPasswords, REDACTED } from '../plugins/redact.js';
import type { SettingDefinition } from '../project/project.types.js';
import { flattenDots, isRecord } from '../project/raw-values.js';

/** Meltano's `utils.truthy`. */
export function truthy(value: unknown): boolean {
  return ['true', '1', 'yes', 'on'].includes(String(value).toLowerCase());
}

/**
 * `SettingDefinition.cast_value`: strings become the kind's type (env vars and `.env` are always
 * strings). Meltano raises on a bad integer or JSON; here the string is kept so one bad value does not
 * hide the others.
 */
export function castValue(setting: SettingDefinition, value: unknown): unknown {
  if (typeof value !== 'string') return value;
  switch (setting.kind) {
    case 'boolean':
      return truthy(value);
    case 'integer':
      return /^\s*[+-]?\d+\s*$/.test(value) ? Number.parseInt(value, 10) : value;
    case 'object':
    case 'array':
      try {
        const parsed: unknown = JSON.parse(value);
        return (setting.kind === 'object' ? isRecord(parsed) : Array.isArray(parsed)) ? parsed : value;
      } catch {
        return value;
      }
    default:
      return value;
  }
}

/** Masks URI passwords in every string of a non-secret value (database URIs are not marked sensitive). */
export function maskDeep(value: unknown): unknown {
  if (typeof value === 'string') return maskUriPasswords(value);
  if (Array.isArray(value)) return value.map(maskDeep);
  if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v)]));
  return value;
}

/** A value that may be shown: `(redacted)` for a set secret, URI passwords masked otherwise. */
export function shownValue(setting: SettingDefinition, value: unknown): unknown {
  if (setting.sensitive && value !== null && value !== undefined && value !== '' && value !== false) {
    return REDACTED;
  }
  return maskDeep(value);
}

/** Config flattened with dots, extras under their `_name` like Meltano's `config_with_extras`. */
export function flatConfig(
  config: Record<string, unknown>,
  extras: Record<string, unknown> = {},
): Record<string, unknown> {
  const flat = flattenDots(config);
  for (const [key, value] of Object.entries(extras)) flat[`_${key}`] = value;
  return flat;
}

/** `SettingDefinition.from_key_value`: a custom definition for a config key no definition names. */
export function customDefinition(name: string, value: unknown): SettingDefinition {
  let kind: string | null = null;
  if (typeof value === 'boolean') kind = 'boolean';
  else if (typeof value === 'number' && Number.isInteger(value)) kind = 'integer';
  else if (isRecord(value)) kind = 'object';
  else if (Array.isArray(value)) kind = 'array';
  return {
    name,
    kind,
    label: null,
    description: null,
    value: null,
    sensitive: false,
    hidden: false,
    env: null,
    aliases: [],
    options: [],
  };
}
