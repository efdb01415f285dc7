import type { PluginDefinition } from '../plugin-catalog/catalog.types.js';
import { ADDABLE_PLUGIN_TYPES, type AddablePluginType } from '../project/project.types.js';
import { isRecord, type RawMap } from '../project/raw-values.js';
import { invalid } from './validate.js';

/** A custom setting definition (`meltano add --custom` asks for these). */
export interface PluginSettingInput {
  name: string;
  kind?: string;
  label?: string;
  description?: string;
  sensitive?: boolean;
}

export interface PluginInput {
  type: string;
  name: string;
  variant?: string;
  /** A project plugin of the same type, or a discoverable plugin, whose definition this one extends. */
  inherit_from?: string;
  /** Set for a custom plugin (not from the hub), as `meltano add --custom` does. */
  namespace?: string;
  pip_url?: string;
  executable?: string;
  capabilities?: string[];
  settings?: PluginSettingInput[];
  /** Written to meltano.yml as given; secrets belong in `.env`, through the settings writers. */
  config?: Record<string, unknown>;
}

// No spaces, `:` (a job task's `plugin:command`) or `/` (lock file paths).
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const SETTING_KINDS = new Set([
  'string',
  'integer',
  'decimal',
  'boolean',
  'date_iso8601',
  'email',
  'password',
  'oauth',
  'options',
  'file',
  'array',
  'object',
  'hidden',
]);

export function requirePluginType(value: unknown, field = 'type'): AddablePluginType {
  if (!ADDABLE_PLUGIN_TYPES.includes(value as AddablePluginType)) {
    throw invalid(field, `\`${field}\` must be one of ${ADDABLE_PLUGIN_TYPES.join(', ')}`);
  }
  return value as AddablePluginType;
}

export function requirePluginName(value: unknown, field: string): string {
  if (typeof value !== 'string' || !NAME.test(value)) {
    throw invalid(
      field,
      `\`${field}\` must be letters, digits, '-', '_' or '.', starting with a letter or digit`,
    );
  }
  return value;
}

function optionalText(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw invalid(field, `\`${field}\` must be a non-empty string`);
  return value;
}

function settingEntry(setting: unknown, index: number): RawMap {
  const field = `settings[${index}]`;
  if (!isRecord(setting)) throw invalid(field, `\`${field}\` must be a mapping with a name`);
  const entry: RawMap = { name: requirePluginName(setting.name, `${field}.name`) };
  const kind = optionalText(setting.kind, `${field}.kind`);
  if (kind !== undefined && !SETTING_KINDS.has(kind))
    throw invalid(`${field}.kind`, `Unknown setting kind '${kind}'`);
  // Meltano's order for a setting definition: name, kind, label, description, sensitive.
  if (kind !== undefined) entry.kind = kind;
  const label = optionalText(setting.label, `${field}.label`);
  if (label !== undefined) entry.label = label;
  const description = optionalText(setting.description, `${field}.description`);
  if (description !== undefined) entry.description = description;
  if (setting.sensitive === true) entry.sensitive = true;
  return entry;
}

/**
 * The meltano.yml entry `meltano add` writes, keys in Meltano's order (name, inherit_from, namespace, variant,
 * pip_url, executable, capabilities, settings, config), empty ones left out. Added from a discoverable
 * `definition`, the entry repeats its variant and pip_url, as Meltano does.
 */
export function pluginEntry(input: PluginInput, definition: PluginDefinition | undefined): RawMap {
  const name = requirePluginName(input.name, 'name');
  const inheritFrom =
    input.inherit_from === undefined ? undefined : requirePluginName(input.inherit_from, 'inherit_from');
  if (inheritFrom === name) throw invalid('inherit_from', 'A plugin cannot inherit from itself');
  const namespace =
    input.namespace === undefined ? undefined : requirePluginName(input.namespace, 'namespace');
  let variant = input.variant === undefined ? undefined : requirePluginName(input.variant, 'variant');
  let pipUrl = optionalText(input.pip_url, 'pip_url');
  if (definition) {
    if (definition.name !== (inheritFrom ?? name)) {
      throw invalid(inheritFrom ? 'inherit_from' : 'name', `The definition is for '${definition.name}'`);
    }
    if (variant !== undefined && variant !== definition.variant) {
      throw invalid('variant', `The definition is of variant '${definition.variant}'`);
    }
    variant = definition.variant;
    pipUrl ??= definition.pip_url ?? undefined;
  }
  const entry: RawMap = { name };
  if (inheritFrom !== undefined) entry.inherit_from = inheritFrom;
  if (namespace !== undefined) entry.namespace = namespace;
  if (variant !== undefined) entry.variant = variant;
  if (pipUrl !== undefined) entry.pip_url = pipUrl;
  const executable = optionalText(input.executable, 'executable');
  if (executable !== undefined) entry.executable = executable;
  if (input.capabilities !== undefined) {
    if (
      !Array.isArray(input.capabilities) ||
      input.capabilities.some((c) => typeof c !== 'string' || c === '')
    ) {
      throw invalid('capabilities', '`capabilities` must be a list of names');
    }
    if (input.capabilities.length > 0) entry.capabilities = input.capabilities;
  }
  if (input.settings !== undefined) {
    if (!Array.isArray(input.settings)) throw invalid('settings', '`settings` must be a list');
    if (input.settings.length > 0) entry.settings = input.settings.map(settingEntry);
  }
  if (input.config !== undefined) {
    if (!isRecord(input.config)) throw invalid('config', '`config` must be a mapping');
    if (Object.keys(input.config).length > 0) entry.config = input.config;
  }
  return entry;
}
