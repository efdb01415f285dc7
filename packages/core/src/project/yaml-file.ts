import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { type Document, LineCounter, parseDocument, type ScalarTag } from 'yaml';
import { ProjectFileError } from '../errors.js';
import { relaxFlowIndentation } from './flow-indent.js';
import { isRecord, type RawMap } from './raw-values.js';

/** A parsed project YAML file that can still point at the line of any of its values. */
export interface YamlFile {
  file: string;
  /** The path relative to the project root, for messages. */
  shown: string;
  data: RawMap;
  /** 1-based line/column of the value at `path`, or nulls when the path is not in the file. */
  locate(path: readonly (string | number)[]): { line: number | null; column: number | null };
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|[ \t]+)(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d*))?(?:[ \t]*(Z|[-+]\d{1,2}(?::?\d{2})?))?$/;

/**
 * ruamel.yaml (Meltano's parser) turns unquoted dates into timestamps even in YAML 1.2 mode, but the `yaml`
 * package's core schema keeps them as strings. This tag recognises them the way ruamel does and yields ISO
 * text directly: a date stays `YYYY-MM-DD`, a date-time becomes UTC with its fraction digits kept as written
 * (a JS Date would drop microseconds such as `04:32:02.276813`).
 */
const isoTimestamp: ScalarTag = {
  tag: 'tag:yaml.org,2002:timestamp',
  default: true,
  identify: () => false,
  test: new RegExp(`${DATE_ONLY.source}|${DATE_TIME.source}`),
  resolve(source, onError) {
    if (DATE_ONLY.test(source)) return source;
    const m = DATE_TIME.exec(source);
    if (!m) {
      onError(`Not a timestamp: ${source}`);
      return source;
    }
    const [, year, month, day, hour, minute, second, fraction, zone] = m;
    let millis = Date.UTC(
      Number(year),
      Number(month) - 1,
      Number(day),
      Number(hour),
      Number(minute),
      Number(second),
    );
    if (zone && zone !== 'Z') {
      const [, sign, hours, minutes] = /^([-+])(\d{1,2}):?(\d{2})?$/.exec(zone) ?? [];
      const offset = (Number(hours) * 60 + Number(minutes ?? 0)) * 60_000;
      millis += sign === '-' ? offset : -offset;
    }
    const utc = new Date(millis);
    if (Number.isNaN(utc.getTime())) {
      onError(`Invalid timestamp: ${source}`);
      return source;
    }
    return `${utc.toISOString().slice(0, 19)}${fraction ? `.${fraction}` : ''}Z`;
  },
};

function parse(text: string, lineCounter: LineCounter) {
  return parseDocument(text, {
    prettyErrors: true,
    uniqueKeys: true,
    merge: true,
    customTags: [isoTimestamp],
    lineCounter,
  });
}

/** A file's text parsed: the Document, its line counter, and the text its offsets point into. */
export interface ParsedYaml {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** `text` itself, or its relaxed form (flow-indent.ts) when only that parses. */
  parsedText: string;
  /** The first error of parsing `text` as it is; the Document has errors only if relaxing did not help. */
  firstError: Document.Parsed['errors'][number] | undefined;
  /**
   * The Document as plain values, made once and frozen: every read of a remembered text shares it
   * (an edit of a 2,000-schedule file read it four times, ~10 ms each), so nothing may change it.
   */
  data?: { value: unknown };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/**
 * Documents of texts the UI itself just wrote (a write parses its result to check it), by file, so the
 * reads that follow it (the write's own checks, the project reload, the next edit of the same file)
 * do not parse the same text again: `yaml` takes ~100-200 ms for a 2,000-schedule meltano.yml, and
 * one edit read it six times. Only an exact text match is used. A Document takes ~25× its text in
 * memory, so at most REMEMBERED_TEXT_BYTES of text are kept, newest first; plain loads keep nothing.
 */
const remembered = new Map<string, { text: string; parsed: ParsedYaml }>();
const REMEMBERED_TEXT_BYTES = 1024 * 1024;

function parseOnce(file: string, text: string): ParsedYaml {
  const kept = remembered.get(file);
  if (kept !== undefined && kept.text === text) return kept.parsed;
  let lineCounter = new LineCounter();
  let doc = parse(text, lineCounter);
  let parsedText = text;
  const [firstError] = doc.errors;
  if (firstError) {
    // Retry the one leniency of PyYAML that real files rely on; keep the original error otherwise.
    const relaxed = relaxFlowIndentation(text);
    const retryCounter = new LineCounter();
    const retry = relaxed === null ? null : parse(relaxed, retryCounter);
    if (relaxed !== null && retry && retry.errors.length === 0) {
      doc = retry;
      lineCounter = retryCounter;
      parsedText = relaxed;
    }
  }
  return { doc, lineCounter, parsedText, firstError };
}

/** Keeps `text`'s Document for the reads that follow a write of it (see `remembered`). */
function remember(file: string, text: string, parsed: ParsedYaml): void {
  remembered.delete(file);
  if (parsed.doc.errors.length > 0 || text.length > REMEMBERED_TEXT_BYTES) return;
  remembered.set(file, { text, parsed });
  let total = 0;
  for (const [key, entry] of [...remembered].reverse()) {
    total += entry.text.length;
    if (total > REMEMBERED_TEXT_BYTES) remembered.delete(key);
  }
}

/**
 * The plain values of the last text parsed from each file, for readers that need only the values:
 * the entity versions (readEntityVersions) read every project file again right after a load, and a
 * second parse of a 500-schedule meltano.yml was ~70 ms of the first look at the web app. Only an
 * exact text match is used. The values are the frozen ones the loaded project holds, so keeping them
 * costs the texts, at most KEPT_PLAIN_TEXT_BYTES of them.
 */
const lastPlain = new Map<string, { text: string; data: RawMap }>();
const KEPT_PLAIN_TEXT_BYTES = 4 * 1024 * 1024;

function keepPlain(file: string, text: string, data: RawMap): void {
  lastPlain.delete(file);
  if (text.length > KEPT_PLAIN_TEXT_BYTES) return;
  lastPlain.set(file, { text, data });
  let total = 0;
  for (const [key, entry] of [...lastPlain].reverse()) {
    total += entry.text.length;
    if (total > KEPT_PLAIN_TEXT_BYTES) lastPlain.delete(key);
  }
}

/** A file's text as plain values (frozen), parsed only when it is not the text last parsed for it. */
export function yamlTextData(file: string, text: string, root: string): RawMap {
  const kept = lastPlain.get(file);
  if (kept !== undefined && kept.text === text) return kept.data;
  return parseYamlText(file, text, root).data;
}

/**
 * The Document of a file's text, for edits spliced into it (yaml-source.ts); the same parse as
 * parseYamlText's, so a text parsed for one is not parsed again for the other.
 */
export function parseYamlDocument(file: string, text: string): ParsedYaml {
  return parseOnce(file, text);
}

/**
 * Parse one project file. Empty documents count as `{}`; anything other than a mapping is an error.
 * `remember`: the UI is about to write this text (or just did); keep its Document for the reads after.
 */
export function parseYamlText(
  file: string,
  text: string,
  root: string,
  opts: { remember?: boolean } = {},
): YamlFile {
  const parsed = parseOnce(file, text);
  if (opts.remember) remember(file, text, parsed);
  const { doc, lineCounter, firstError: first } = parsed;
  const shown = relative(root, file) || file;
  if (first && doc.errors.length > 0) {
    const pos = first.linePos?.[0];
    throw new ProjectFileError(`${shown}: ${first.message}`, {
      file,
      line: pos?.line ?? null,
      column: pos?.col ?? null,
    });
  }
  let data: unknown;
  try {
    parsed.data ??= { value: deepFreeze(doc.toJS({ maxAliasCount: 1000 })) };
    data = parsed.data.value;
  } catch (error) {
    // Only alias bombs and the like get here; the document itself parsed.
    throw new ProjectFileError(`${shown}: ${(error as Error).message}`, { file, line: null, column: null });
  }
  const locate = (path: readonly (string | number)[]) => {
    const node = path.length === 0 ? doc.contents : doc.getIn(path, true);
    const range = (node as { range?: [number, number, number] } | undefined)?.range;
    if (!range) return { line: null, column: null };
    const pos = lineCounter.linePos(range[0]);
    return { line: pos.line, column: pos.col };
  };
  if (data === null || data === undefined) {
    keepPlain(file, text, Object.freeze({}));
    return { file, shown, data: {}, locate };
  }
  if (!isRecord(data)) {
    const where = locate([]);
    throw new ProjectFileError(
      `${shown}: the file must hold a YAML mapping (key: value pairs) at the top level`,
      {
        file,
        ...where,
      },
    );
  }
  keepPlain(file, text, data);
  return { file, shown, data, locate };
}

export async function readYamlFile(file: string, root: string): Promise<YamlFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ProjectFileError(`${relative(root, file) || file}: cannot read the file (${reason})`, {
      file,
      line: null,
      column: null,
    });
  }
  // A BOM would otherwise become part of the first key.
  return parseYamlText(file, text.replace(/^\uFEFF/, ''), root);
}
