import type { PluginSetting } from '../../../lib/api-types';

/** The input a setting gets on the form, by its kind. */
export type SettingControl =
  | 'text'
  | 'integer'
  | 'decimal'
  | 'boolean'
  | 'date'
  | 'email'
  | 'options'
  | 'file'
  | 'json'
  | 'secret';

type ControlInput = Pick<PluginSetting, 'kind' | 'sensitive' | 'redacted' | 'options'>;

/**
 * Secrets first: a sensitive setting, Meltano's deprecated password/oauth kinds, and any value the server
 * masked (a password inside a URI) get a field that never shows what is stored.
 */
export function controlFor(setting: ControlInput): SettingControl {
  if (setting.sensitive || setting.redacted || setting.kind === 'password' || setting.kind === 'oauth') {
    return 'secret';
  }
  switch (setting.kind) {
    case 'options':
      return setting.options.length > 0 ? 'options' : 'text';
    case 'boolean':
    case 'integer':
    case 'decimal':
    case 'email':
    case 'file':
      return setting.kind;
    case 'date_iso8601':
      return 'date';
    case 'object':
    case 'array':
      return 'json';
    default:
      // string, no kind, hidden, and kinds newer than this code: text, as Meltano stores them.
      return 'text';
  }
}

type DraftInput = ControlInput & Pick<PluginSetting, 'value' | 'source'>;

/** Whether the value is this plugin's own (a default or the parent's value shows as a placeholder instead). */
export function hasOwnValue(setting: Pick<PluginSetting, 'value' | 'source'>): boolean {
  return setting.value !== null && setting.source !== 'default' && setting.source !== 'inherited';
}

/** The text the control starts with; a secret always starts empty. */
export function initialDraft(setting: DraftInput): string {
  const control = controlFor(setting);
  if (control === 'secret' || !hasOwnValue(setting)) return control === 'boolean' ? boolText(setting) : '';
  return draftText(setting, control, setting.value);
}

/** A default or inherited value, as the placeholder shows it. */
export function placeholderFor(setting: DraftInput & Pick<PluginSetting, 'default'>): string {
  const control = controlFor(setting);
  if (control === 'secret') return '';
  if (hasOwnValue(setting)) return '';
  const value = setting.value ?? setting.default;
  if (value === null || value === undefined) return '';
  const text = draftText(setting, control, value);
  return setting.source === 'inherited' ? `${text} (inherited)` : `${text} (default)`;
}

function boolText(setting: DraftInput): string {
  return setting.value === true || setting.value === 'true' ? 'true' : 'false';
}

function draftText(setting: ControlInput, control: SettingControl, value: unknown): string {
  if (control === 'options') {
    const index = setting.options.findIndex((o) => o.value === value || String(o.value) === String(value));
    return index < 0 ? '' : String(index);
  }
  if (control === 'json') return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
