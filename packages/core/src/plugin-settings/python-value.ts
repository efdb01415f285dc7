/**
 * Setting values as the Python objects Meltano holds after `cast_value`: the types a pickle, `str()` and
 * `json.dumps` tell apart but JavaScript does not (1 vs 1.0, Decimal, dict order with numeric keys).
 */

export interface PyInt {
  py: 'int';
  value: bigint;
}
export interface PyFloat {
  py: 'float';
  value: number;
}
/** `decimal.Decimal`, kept as the text `str()` gives (`1.50` stays `1.50`). */
export interface PyDecimal {
  py: 'decimal';
  text: string;
}
/** A dict in insertion order, as `json.loads` builds it. */
export interface PyDict {
  py: 'dict';
  entries: [string, PyValue][];
}
export type PyValue = null | boolean | string | PyInt | PyFloat | PyDecimal | PyDict | PyValue[];

export const pyInt = (value: bigint | number): PyInt => ({ py: 'int', value: BigInt(value) });
export const pyFloat = (value: number): PyFloat => ({ py: 'float', value });

export function isPyTagged(value: PyValue): value is PyInt | PyFloat | PyDecimal | PyDict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON-like JavaScript value as `json.loads(json.dumps(value))` would give it: integers become int. */
export function pyFromJs(value: unknown): PyValue {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'bigint') return pyInt(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('Numbers must be finite');
    return Number.isInteger(value) ? pyInt(value) : pyFloat(value);
  }
  if (Array.isArray(value)) return value.map(pyFromJs);
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return {
      py: 'dict',
      entries: Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, pyFromJs(item)]),
    };
  }
  throw new TypeError(`Unsupported value of type ${typeof value}`);
}

/**
 * The value for YAML and for comparisons: dicts become Maps (so `{"b": 1, "1": 2}` keeps its order), ints
 * numbers when they fit, Decimals numbers.
 */
export function pyToJs(value: PyValue): unknown {
  if (Array.isArray(value)) return value.map(pyToJs);
  if (!isPyTagged(value)) return value;
  switch (value.py) {
    case 'int':
      return safeNumber(value.value);
    case 'float':
      return value.value;
    case 'decimal':
      return Number(value.text);
    case 'dict':
      return new Map(value.entries.map(([key, item]) => [key, pyToJs(item)]));
  }
}

function safeNumber(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

/** Python's `repr(float)`: shortest round-trip digits, fixed notation for exponents -4..15, `1.0` not `1`. */
export function pyFloatRepr(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  const [mantissa = '0', exp = '0'] = Math.abs(value).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exponent = Number(exp);
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  if (exponent < -4 || exponent >= 16) {
    const fraction = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const e = Math.abs(exponent).toString().padStart(2, '0');
    return `${sign}${digits[0]}${fraction}e${exponent < 0 ? '-' : '+'}${e}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction === '' ? '0' : fraction}`;
}

/** `str(Decimal(text))` for decimal text (`+.5` → `0.5`, `1e3` → `1E+3`, `0.0000001` → `1E-7`). */
export function pyDecimalStr(text: string): string | null {
  const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
  if (!m || ((m[2] ?? '') === '' && (m[3] ?? '') === '')) return null;
  const sign = m[1] === '-' ? '-' : '';
  const fraction = m[3] ?? '';
  const coefficient = `${m[2] ?? ''}${fraction}`.replace(/^0+(?=\d)/, '');
  const exp = Number(m[4] ?? '0') - fraction.length;
  // decimal.py's __str__ (to_sci_string) for a finite value.
  const leftDigits = exp + coefficient.length;
  const dotPlace = exp <= 0 && leftDigits > -6 ? leftDigits : 1;
  let intPart: string;
  let fracPart: string;
  if (dotPlace <= 0) {
    intPart = '0';
    fracPart = `.${'0'.repeat(-dotPlace)}${coefficient}`;
  } else if (dotPlace >= coefficient.length) {
    intPart = coefficient + '0'.repeat(dotPlace - coefficient.length);
    fracPart = '';
  } else {
    intPart = coefficient.slice(0, dotPlace);
    fracPart = `.${coefficient.slice(dotPlace)}`;
  }
  const shift = leftDigits - dotPlace;
  const expPart = shift === 0 ? '' : `E${shift > 0 ? '+' : '-'}${Math.abs(shift)}`;
  return `${sign}${intPart}${fracPart}${expPart}`;
}

/** Python's `str(value)`, which Meltano writes to `.env` for string, decimal and kind-less settings. */
export function pyStr(value: PyValue): string {
  if (typeof value === 'string') return value;
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (isPyTagged(value) && value.py === 'int') return value.value.toString();
  if (isPyTagged(value) && value.py === 'float') return pyFloatRepr(value.value);
  if (isPyTagged(value) && value.py === 'decimal') return value.text;
  // Containers are only ever written through json.dumps (Meltano's stringify_value).
  return pyJsonDumps(value);
}

/** `json.dumps(value)` with its defaults: `", "` / `": "` separators, ensure_ascii, `Infinity`. */
export function pyJsonDumps(value: PyValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'string') return jsonString(value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(', ')}]`;
  switch (value.py) {
    case 'int':
      return value.value.toString();
    case 'float':
      if (Number.isNaN(value.value)) return 'NaN';
      if (!Number.isFinite(value.value)) return value.value > 0 ? 'Infinity' : '-Infinity';
      return pyFloatRepr(value.value);
    case 'decimal':
      throw new TypeError('Object of type Decimal is not JSON serializable');
    case 'dict':
      return `{${value.entries.map(([key, item]) => `${jsonString(key)}: ${pyJsonDumps(item)}`).join(', ')}}`;
  }
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

function jsonString(text: string): string {
  // ensure_ascii: everything outside printable ASCII as \uXXXX (UTF-16 units, so astral chars are pairs).
  const escaped = text.replace(
    /[\\"]|[^ -~]/g,
    (ch) => SHORT_ESCAPES[ch] ?? `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
  return `"${escaped}"`;
}
