/**
 * Reads one JSON value, or the Python literal that `str(dict)` prints, from `text` at `start`:
 * early Singer SDK releases (before 0.7) logged metrics with `str()` instead of `json.dumps()`
 * (`METRIC: {'type': 'counter', 'metric': 'record_count', ...}`, sdk issue #874), so single-quoted
 * strings and `True`/`False`/`None` must be accepted beside JSON's own syntax.
 *
 * Returns the value and the index after it, or null when the text there is neither.
 */
export function readLiteral(text: string, start: number): { value: unknown; end: number } | null {
  const reader = new LiteralReader(text, start);
  try {
    const value = reader.value();
    return { value, end: reader.at };
  } catch (err) {
    if (err instanceof SyntaxError) return null;
    throw err;
  }
}

/** Where the `{…}` object starting at `start` ends (exclusive), strings skipped; -1 when it does not. */
export function objectEnd(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x27) {
      // A quoted string: skip it, escapes included.
      for (i += 1; i < text.length && text.charCodeAt(i) !== c; i += 1) {
        if (text.charCodeAt(i) === 0x5c) i += 1;
      }
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1;
    } else if (c === 0x7d || c === 0x5d) {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

const MAX_DEPTH = 32;

class LiteralReader {
  at: number;
  private depth = 0;

  constructor(
    private readonly text: string,
    start: number,
  ) {
    this.at = start;
  }

  value(): unknown {
    this.space();
    const c = this.text[this.at];
    if (c === '{') return this.container('}', true);
    if (c === '[' || c === '(') return this.container(c === '[' ? ']' : ')', false);
    if (c === '"' || c === "'") return this.string(c);
    for (const [word, value] of WORDS) {
      if (this.text.startsWith(word, this.at)) {
        this.at += word.length;
        return value;
      }
    }
    const number = NUMBER.exec(this.text.slice(this.at, this.at + 64));
    if (number) {
      this.at += number[0].length;
      return Number(number[0]);
    }
    throw new SyntaxError(`unexpected ${c ?? 'end'} at ${this.at}`);
  }

  private container(close: string, keyed: boolean): unknown {
    if (++this.depth > MAX_DEPTH) throw new SyntaxError('too deep');
    this.at += 1;
    const object: Record<string, unknown> = {};
    const list: unknown[] = [];
    this.space();
    while (this.text[this.at] !== close) {
      if (keyed) {
        const key = this.value();
        this.space();
        if (this.text[this.at] !== ':') throw new SyntaxError('expected :');
        this.at += 1;
        object[String(key)] = this.value();
      } else {
        list.push(this.value());
      }
      this.space();
      if (this.text[this.at] === ',') {
        this.at += 1;
        this.space();
      } else if (this.text[this.at] !== close) {
        throw new SyntaxError(`expected , or ${close}`);
      }
    }
    this.at += 1;
    this.depth -= 1;
    return keyed ? object : list;
  }

  private string(quote: string): string {
    let out = '';
    for (let i = this.at + 1; i < this.text.length; i += 1) {
      const c = this.text[i];
      if (c === quote) {
        this.at = i + 1;
        return out;
      }
      if (c === '\\') {
        i += 1;
        const e = this.text[i] ?? '';
        if (e === 'u' || e === 'x') {
          const width = e === 'u' ? 4 : 2;
          out += String.fromCharCode(Number.parseInt(this.text.slice(i + 1, i + 1 + width), 16));
          i += width;
        } else {
          out += ESCAPES[e] ?? e;
        }
      } else {
        out += c;
      }
    }
    throw new SyntaxError('unterminated string');
  }

  private space(): void {
    while (this.at < this.text.length && /\s/.test(this.text[this.at] ?? '')) this.at += 1;
  }
}

const WORDS: [string, unknown][] = [
  ['true', true],
  ['false', false],
  ['null', null],
  ['True', true],
  ['False', false],
  ['None', null],
  ['NaN', Number.NaN],
];
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' };
