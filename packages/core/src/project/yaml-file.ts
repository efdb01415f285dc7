import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { LineCounter, parseDocument, type ScalarTag } from 'yaml';
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

/** Parse one project file. Empty documents count as `{}`; anything other than a mapping is an error. */
export function parseYamlText(file: string, text: string, root: string): YamlFile {
  let lineCounter = new LineCounter();
  let doc = parse(text, lineCounter);
  const [first] = doc.errors;
  if (first) {
    // Retry the one leniency of PyYAML that real files rely on; keep the original error otherwise.
    const relaxed = relaxFlowIndentation(text);
    const retryCounter = new LineCounter();
    const retry = relaxed === null ? null : parse(relaxed, retryCounter);
    if (retry && retry.errors.length === 0) {
      doc = retry;
      lineCounter = retryCounter;
    }
  }
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
    data = doc.toJS({ maxAliasCount: 1000 });
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
  if (data === null || data === undefined) return { file, shown, data: {}, locate };
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
