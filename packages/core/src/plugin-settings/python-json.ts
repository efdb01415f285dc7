import { type PyDict, type PyValue, pyFloat, pyInt } from './python-value.js';

export class PythonJsonError extends Error {
  constructor(message: string, position: number) {
    super(`${message} at position ${position}`);
    this.name = 'PythonJsonError';
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;
const ESCAPES: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/**
 * `json.loads` as Meltano calls it on a `kind: object|array` value: a number with a fraction or exponent
 * is a float, any other an int; dicts keep insertion order (a repeated key keeps its first place, last
 * value). Unlike Python, NaN/Infinity literals and non-finite floats are refused.
 */
export function parsePythonJson(text: string): PyValue {
  let pos = 0;

  const fail = (message: string): never => {
    throw new PythonJsonError(message, pos);
  };
  const skip = () => {
    WHITESPACE.lastIndex = pos;
    WHITESPACE.exec(text);
    pos = WHITESPACE.lastIndex;
  };
  const expect = (ch: string) => {
    if (text[pos] !== ch) fail(`Expecting '${ch}'`);
    pos++;
  };

  const string = (): string => {
    expect('"');
    let out = '';
    for (;;) {
      const ch = text[pos];
      if (ch === undefined) return fail('Unterminated string');
      pos++;
      if (ch === '"') return out;
      if (ch < ' ') fail('Invalid control character in string');
      if (ch !== '\\') {
        out += ch;
        continue;
      }
      const esc = text[pos] ?? '';
      pos++;
      if (esc === 'u') {
        const hex = text.slice(pos, pos + 4);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('Invalid \\uXXXX escape');
        out += String.fromCharCode(Number.parseInt(hex, 16));
        pos += 4;
      } else {
        out += ESCAPES[esc] ?? fail('Invalid \\escape');
      }
    }
  };

  const number = (): PyValue => {
    NUMBER.lastIndex = pos;
    const m = NUMBER.exec(text);
    if (!m) return fail('Expecting value');
    pos = NUMBER.lastIndex;
    if (m[1] === undefined && m[2] === undefined) return pyInt(BigInt(m[0]));
    const value = Number(m[0]);
    return Number.isFinite(value) ? pyFloat(value) : fail('Number out of range');
  };

  const object = (): PyDict => {
    expect('{');
    const dict: PyDict = { py: 'dict', entries: [] };
    const index = new Map<string, number>();
    skip();
    if (text[pos] === '}') {
      pos++;
      return dict;
    }
    for (;;) {
      skip();
      const key = string();
      skip();
      expect(':');
      const item = value();
      const at = index.get(key);
      if (at === undefined) {
        index.set(key, dict.entries.length);
        dict.entries.push([key, item]);
      } else {
        (dict.entries[at] as [string, PyValue])[1] = item;
      }
      skip();
      if (text[pos] === '}') {
        pos++;
        return dict;
      }
      expect(',');
    }
  };

  const array = (): PyValue[] => {
    expect('[');
    const list: PyValue[] = [];
    skip();
    if (text[pos] === ']') {
      pos++;
      return list;
    }
    for (;;) {
      list.push(value());
      skip();
      if (text[pos] === ']') {
        pos++;
        return list;
      }
      expect(',');
    }
  };

  const literal = <T extends PyValue>(word: string, result: T): T => {
    if (!text.startsWith(word, pos)) fail('Expecting value');
    pos += word.length;
    return result;
  };

  function value(): PyValue {
    skip();
    switch (text[pos]) {
      case '{':
        return object();
      case '[':
        return array();
      case '"':
        return string();
      case 't':
        return literal('true', true);
      case 'f':
        return literal('false', false);
      case 'n':
        return literal('null', null);
      default:
        return number();
    }
  }

  const result = value();
  skip();
  if (pos !== text.length) fail('Extra data');
  return result;
}
