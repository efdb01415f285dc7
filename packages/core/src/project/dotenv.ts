import { readFile } from 'node:fs/promises';

/**
 * A `.env` reader following python-dotenv's parser (the one Meltano uses), so the UI sees the values the CLI
 * sees: `export` prefixes, `#` comments, single quotes (only `\'` and `\\` escapes, but `${VAR}` still expands, as in python-dotenv), double quotes
 * with backslash escapes, quoted values spanning lines, unquoted values cut at ` #`, and `${VAR}` /
 * `${VAR:-default}` interpolation from earlier keys, then the process environment.
 */

const MULTILINE_WHITESPACE = /\s*/y;
const EXPORT = /(?:export[^\S\r\n]+)?/y;
const SINGLE_QUOTED_KEY = /'([^']+)'/y;
const UNQUOTED_KEY = /([^=#\s]+)/y;
const WHITESPACE = /[^\S\r\n]*/y;
const EQUAL_SIGN = /(=[^\S\r\n]*)/y;
const SINGLE_QUOTED_VALUE = /'((?:\\'|[^'])*)'/y;
const DOUBLE_QUOTED_VALUE = /"((?:\\"|[^"])*)"/y;
const UNQUOTED_VALUE = /([^\r\n]*)/y;
const COMMENT = /(?:[^\S\r\n]*#[^\r\n]*)?/y;
const END_OF_LINE = /[^\S\r\n]*(?:\r\n|\n|\r|$)/y;
const REST_OF_LINE = /[^\r\n]*(?:\r\n|\r|\n)?/y;
const POSIX_VARIABLE = /\$\{([^}:]*)(?::-([^}]*))?\}/g;

const DOUBLE_QUOTE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

class ParseFailure extends Error {}

/** One `KEY=value` of a `.env` text, with where it sits (offsets into the text without a BOM). */
export interface DotenvBinding {
  key: string;
  /** As written, unquoted and unescaped but not interpolated; null for a bare `KEY` line without `=`. */
  value: string | null;
  /** Where the binding starts (its `export`, or its key), after any indentation. */
  start: number;
  /** Just past the value, before a trailing comment. */
  valueEnd: number;
  /** Just past the line ending. */
  end: number;
}

class Reader {
  position = 0;
  constructor(readonly text: string) {}

  hasNext(): boolean {
    return this.position < this.text.length;
  }

  peek(): string {
    return this.text.charAt(this.position);
  }

  read(regex: RegExp): RegExpExecArray {
    regex.lastIndex = this.position;
    const match = regex.exec(this.text);
    if (!match) throw new ParseFailure();
    this.position = regex.lastIndex;
    return match;
  }
}

function parseBinding(reader: Reader): DotenvBinding | null {
  try {
    reader.read(MULTILINE_WHITESPACE);
    if (!reader.hasNext()) return null;
    const start = reader.position;
    reader.read(EXPORT);
    let key: string | null = null;
    if (reader.peek() !== '#') {
      key = reader.read(reader.peek() === "'" ? SINGLE_QUOTED_KEY : UNQUOTED_KEY)[1] ?? '';
    }
    reader.read(WHITESPACE);
    let value: string | null = null;
    let unquotedEnd: number | null = null;
    if (reader.peek() === '=') {
      const spaced = (reader.read(EQUAL_SIGN)[1] ?? '').length > 1;
      const quote = reader.peek();
      if (quote === "'") {
        // python-dotenv interpolates ${VAR} inside single quotes too (checked with 1.x), so Meltano does.
        value = (reader.read(SINGLE_QUOTED_VALUE)[1] ?? '').replace(/\\([\\'])/g, '$1');
      } else if (quote === '"') {
        const raw = reader.read(DOUBLE_QUOTED_VALUE)[1] ?? '';
        value = raw.replace(/\\([\\'"abfnrtv])/g, (_m, ch: string) => DOUBLE_QUOTE_ESCAPES[ch] ?? ch);
      } else if (quote === '' || quote === '\n' || quote === '\r') {
        value = '';
      } else {
        const partStart = reader.position;
        const part = reader.read(UNQUOTED_VALUE)[1] ?? '';
        // `KEY=  # note` is an empty value; `KEY=#x` is the value `#x`.
        value = spaced && part.startsWith('#') ? '' : part.replace(/\s+#.*/, '').trimEnd();
        unquotedEnd = partStart + value.length;
      }
    }
    const valueEnd = unquotedEnd ?? reader.position;
    reader.read(COMMENT);
    reader.read(END_OF_LINE);
    return key === null ? null : { key, value, start, valueEnd, end: reader.position };
  } catch (error) {
    if (!(error instanceof ParseFailure)) throw error;
    // Like python-dotenv: drop the rest of the line where parsing failed and carry on.
    reader.read(REST_OF_LINE);
    return null;
  }
}

/** Every binding of a `.env` text in order, as python-dotenv's parser finds them (bad lines skipped). */
export function dotenvBindings(text: string): DotenvBinding[] {
  const reader = new Reader(text.replace(/^\uFEFF/, ''));
  const bindings: DotenvBinding[] = [];
  while (reader.hasNext()) {
    const binding = parseBinding(reader);
    if (binding) bindings.push(binding);
  }
  return bindings;
}

/**
 * Parse `.env` text. `env` is what `${VAR}` falls back to when no earlier key defines VAR (the process
 * environment by default). Keys written without `=` have no value and are left out.
 */
export function parseDotenv(text: string, env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const resolved = new Map<string, string | null>();
  for (const { key, value } of dotenvBindings(text)) {
    if (value === null) {
      resolved.set(key, value);
      continue;
    }
    const expanded = value.replace(POSIX_VARIABLE, (_m, name: string, fallback: string | undefined) => {
      const own = resolved.has(name) ? resolved.get(name) : env[name];
      return own === undefined ? (fallback ?? '') : (own ?? '');
    });
    resolved.set(key, expanded);
  }
  const result: Record<string, string> = {};
  for (const [key, value] of resolved) if (value !== null) result[key] = value;
  return result;
}

/** Where one `${VAR}` of a `.env` value took its text from while the file was parsed. */
export interface DotenvReference {
  name: string;
  /** An earlier key of the same file (else the process environment, or nothing). */
  from_dotenv: boolean;
}

/** A `.env` value that interpolated `${VAR}`s: its text as written and what it read. */
export interface DotenvInterpolation {
  written: string;
  references: DotenvReference[];
}

/**
 * The keys whose value (the last binding wins, as in parseDotenv) interpolated variables, so a reader can
 * tell a `.env` value that holds only the file's own text from one that copied, say, a secret or `$PATH`
 * from the process environment. Keys without `${…}` are left out.
 */
export function dotenvReferences(text: string): Record<string, DotenvInterpolation> {
  const seen = new Set<string>();
  const last = new Map<string, DotenvInterpolation | null>();
  for (const { key, value } of dotenvBindings(text)) {
    const references = [...(value ?? '').matchAll(POSIX_VARIABLE)].map((m) => ({
      name: m[1] ?? '',
      from_dotenv: seen.has(m[1] ?? ''),
    }));
    last.set(key, value !== null && references.length > 0 ? { written: value, references } : null);
    seen.add(key);
  }
  const out: Record<string, DotenvInterpolation> = {};
  for (const [key, found] of last) if (found) out[key] = found;
  return out;
}

async function readOptionalText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}

/** Read and parse a `.env` file; a missing file is an empty one. */
export async function readDotenv(file: string): Promise<Record<string, string>> {
  return parseDotenv(await readOptionalText(file));
}

/** readDotenv plus dotenvReferences of the same text. */
export async function readDotenvWithReferences(
  file: string,
): Promise<{ values: Record<string, string>; references: Record<string, DotenvInterpolation> }> {
  const text = await readOptionalText(file);
  return { values: parseDotenv(text), references: dotenvReferences(text) };
}
