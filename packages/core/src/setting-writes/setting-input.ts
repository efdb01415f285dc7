import { Scalar } from 'yaml';
import { InvalidInputError } from '../errors.js';
import { PythonJsonError, parsePythonJson } from '../plugin-settings/python-json.js';
import {
  isPyTagged,
  type PyValue,
  pyDecimalStr,
  pyFromJs,
  pyJsonDumps,
  pyStr,
  pyToJs,
} from '../plugin-settings/python-value.js';
import { REDACTED } from '../plugins/redact.js';
import type { SettingDefinition } from '../project/project.types.js';

/** One validated value, in the form each store holds it. */
export interface SettingValue {
  /** The Python object Meltano's `cast_value` makes of it: what the system database pickles. */
  py: PyValue;
  /** For meltano.yml (a Scalar keeps a decimal's digits, Maps keep key order). */
  yaml: unknown;
  /** What that YAML reads back as. */
  data: unknown;
  /** Meltano's `stringify_value`, for `.env`. */
  env: string;
}

const TRUE_WORDS = ['true', '1', 'yes', 'on'];
const FALSE_WORDS = ['false', '0', 'no', 'off'];
const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Validates and coerces a value for a setting the way `meltano config set` casts its argument, per kind.
 * Strings are accepted for every kind (they are what the CLI gets); numbers, booleans, objects and arrays
 * where the kind holds them. Throws InvalidInputError naming the setting.
 */
export function settingValue(setting: SettingDefinition, input: unknown): SettingValue {
  const bad = (expected: string): InvalidInputError =>
    new InvalidInputError(
      `Setting '${setting.name}'${setting.kind ? ` (${setting.kind})` : ''} ${expected}`,
      {
        field: 'value',
        setting: setting.name,
      },
    );
  if (input === REDACTED)
    throw bad(`cannot be set to ${REDACTED}: that is the placeholder shown for a secret`);
  if (input === null || input === undefined) throw bad('needs a value; unset it to remove it');

  switch (setting.kind) {
    case 'boolean': {
      const word = typeof input === 'string' ? input.trim().toLowerCase() : '';
      if (typeof input !== 'boolean' && !TRUE_WORDS.includes(word) && !FALSE_WORDS.includes(word)) {
        throw bad('must be true or false');
      }
      const value = typeof input === 'boolean' ? input : TRUE_WORDS.includes(word);
      return scalar(value, pyJsonDumps(value));
    }
    case 'integer': {
      const text = typeof input === 'number' ? String(input) : typeof input === 'string' ? input.trim() : '';
      if (!/^[+-]?\d+$/.test(text)) throw bad('must be a whole number');
      const value = BigInt(text);
      if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
        throw bad('is too large');
      }
      return { py: { py: 'int', value }, yaml: Number(value), data: Number(value), env: value.toString() };
    }
    case 'decimal': {
      const text =
        typeof input === 'number' || typeof input === 'string' ? pyDecimalStr(String(input)) : null;
      if (text === null || !Number.isFinite(Number(text))) throw bad('must be a decimal number');
      const yaml = new Scalar(Number(text));
      yaml.minFractionDigits = /^[^E]*\.(\d+)/.exec(text)?.[1]?.length ?? 0;
      return { py: { py: 'decimal', text }, yaml, data: Number(text), env: text };
    }
    case 'options': {
      const option = setting.options.find(
        (opt) => opt.value === input || (typeof input === 'string' && String(opt.value) === input),
      );
      if (!option) {
        throw bad(`must be one of ${setting.options.map((opt) => JSON.stringify(opt.value)).join(', ')}`);
      }
      return fromJs(option.value, bad, (py) => (typeof py === 'string' ? py : pyJsonDumps(py)));
    }
    case 'object':
    case 'array': {
      const py = typeof input === 'string' ? parseJson(input, bad) : fromPy(input, bad);
      const ok = setting.kind === 'object' ? isPyTagged(py) && py.py === 'dict' : Array.isArray(py);
      if (!ok) throw bad(`must be a JSON ${setting.kind}`);
      const yaml = pyToJs(py);
      return { py, yaml, data: plainData(yaml), env: pyJsonDumps(py) };
    }
    case 'date_iso8601':
      if (typeof input !== 'string' || !isIsoDate(input)) throw bad('must be an ISO 8601 date (YYYY-MM-DD)');
      return scalar(input, input);
    case 'email':
      if (typeof input !== 'string' || !EMAIL.test(input)) throw bad('must be an email address');
      return scalar(input, input);
    case null:
      // No kind: Meltano stores what it is given; a number or boolean keeps its type.
      if (typeof input === 'string' || typeof input === 'boolean' || typeof input === 'number') {
        return fromJs(input, bad, pyStr);
      }
      throw bad('must be a string, number or boolean');
    default:
      // string, file, the deprecated password/oauth/hidden, and kinds newer than this code: text.
      if (typeof input !== 'string') throw bad('must be a string');
      return scalar(input, input);
  }
}

function scalar(value: string | boolean, env: string): SettingValue {
  return { py: value, yaml: value, data: value, env };
}

function fromJs(
  value: unknown,
  bad: (expected: string) => Error,
  env: (py: PyValue) => string,
): SettingValue {
  const py = fromPy(value, bad);
  const yaml = pyToJs(py);
  return { py, yaml, data: plainData(yaml), env: env(py) };
}

function fromPy(value: unknown, bad: (expected: string) => Error): PyValue {
  try {
    return pyFromJs(value);
  } catch (error) {
    throw bad(`has an unsupported value (${(error as Error).message})`);
  }
}

function parseJson(text: string, bad: (expected: string) => Error): PyValue {
  try {
    return parsePythonJson(text);
  } catch (error) {
    if (error instanceof PythonJsonError) throw bad(`is not valid JSON: ${error.message}`);
    throw error;
  }
}

/** Maps as objects, for comparing with what a YAML file parses to. */
function plainData(value: unknown): unknown {
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([key, item]) => [String(key), plainData(item)]));
  }
  if (Array.isArray(value)) return value.map(plainData);
  return value;
}

function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  const validDay =
    date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
  const validTime = m[4] === undefined || (Number(m[4]) < 24 && Number(m[5]) < 60 && Number(m[6] ?? 0) < 60);
  return validDay && validTime;
}
