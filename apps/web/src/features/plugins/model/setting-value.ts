import type { PluginSetting } from '../../../lib/api-types';
import { controlFor } from './setting-control';

export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const ok = (value: unknown): Parsed => ({ ok: true, value });
const bad = (error: string): Parsed => ({ ok: false, error });

/**
 * What the form sends for a setting's draft, checked for its kind first (the server checks again, the way
 * `meltano config set` casts). Integers go as numbers; decimals and JSON as their text, so the server
 * keeps every digit and key order, as it does for the CLI's argument.
 */
export function parseDraft(
  setting: Pick<PluginSetting, 'kind' | 'sensitive' | 'redacted' | 'options'>,
  draft: string,
): Parsed {
  const control = controlFor(setting);
  const text = control === 'secret' || control === 'text' || control === 'json' ? draft : draft.trim();
  if (control === 'boolean') return ok(text === 'true');
  if (text.trim() === '') return bad('Enter a value, or use Unset to remove it.');
  switch (control) {
    case 'integer': {
      if (!/^[+-]?\d+$/.test(text)) return bad('A whole number, like 42.');
      const value = Number(text);
      return Number.isSafeInteger(value) ? ok(value) : bad('This number is too large.');
    }
    case 'decimal':
      return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? ok(text) : bad('A number, like 0.5.');
    case 'date':
      return ISO_DATE.test(text) && !Number.isNaN(Date.parse(text.slice(0, 10)))
        ? ok(text)
        : bad('A date as YYYY-MM-DD (a time may follow).');
    case 'email':
      return EMAIL.test(text) ? ok(text) : bad('An email address, like name@example.com.');
    case 'options': {
      const option = setting.options[Number(text)];
      return option ? ok(option.value) : bad('Pick one of the options.');
    }
    case 'json':
      return parseJsonDraft(setting.kind === 'array' ? 'array' : 'object', text);
    default:
      return ok(text);
  }
}

function parseJsonDraft(kind: 'object' | 'array', text: string): Parsed {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return bad(`Not valid JSON: ${(error as Error).message}`);
  }
  const isKind =
    kind === 'array'
      ? Array.isArray(value)
      : typeof value === 'object' && value !== null && !Array.isArray(value);
  return isKind
    ? ok(text)
    : bad(kind === 'array' ? 'A JSON array, like ["a", "b"].' : 'A JSON object, like {"key": "value"}.');
}
