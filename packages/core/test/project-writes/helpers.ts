import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, type YAMLMap, type YAMLSeq } from 'yaml';
import { HAS_REAL_PROJECTS, REAL_PROJECTS } from '../project/fixture-paths.js';

/** Every project of SOURCES.md's table: the folder to copy and the project root inside it. */
export function realProjectRoots(): { folder: string; projectDir: string }[] {
  if (!HAS_REAL_PROJECTS) return [];
  const text = readFileSync(join(REAL_PROJECTS, 'SOURCES.md'), 'utf8');
  return text
    .split('\n')
    .filter((line) => /^\| \d+ \|/.test(line))
    .map((line) => {
      const match = /^`([^`]+)` \/ `([^`]+)`$/.exec(line.split('|')[2]?.trim() ?? '');
      if (!match) throw new Error(`Unreadable SOURCES.md row: ${line}`);
      return { folder: match[1] ?? '', projectDir: match[2] ?? '' };
    });
}

/** Lines without their terminators (a CRLF file compares like an LF one; endings are asserted apart). */
export const splitLines = (text: string) => text.split(/\r?\n/);

/** The changed region of a line diff: lines [start, beforeEnd) were replaced by [start, afterEnd). */
export function changedRegion(before: string, after: string) {
  const a = splitLines(before);
  const b = splitLines(after);
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let tail = 0;
  while (
    tail < a.length - start &&
    tail < b.length - start &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  ) {
    tail++;
  }
  return {
    start,
    removed: a.slice(start, a.length - tail),
    added: b.slice(start, b.length - tail),
  };
}

/** 0-based first and last line of the list item named `name` under top-level `key`. */
export function entityLines(text: string, key: string, name: string): [number, number] {
  const doc = parseDocument(text.replace(/^( *)([[{])/gm, '$1$2'));
  const seq = doc.get(key, true) as YAMLSeq<YAMLMap> | undefined;
  const item = seq?.items.find((entry) => entry.get('name') === name);
  if (!item?.range) throw new Error(`no ${key} item ${name}`);
  const lineOf = (offset: number) => text.slice(0, offset).split('\n').length - 1;
  const end = item.range[1];
  return [lineOf(item.range[0]), lineOf(text[end - 1] === '\n' ? end - 1 : end)];
}

/** Line-ending facts a write must keep. */
export function endings(text: string) {
  return {
    crlf: text.includes('\r\n'),
    bareLf: /(^|[^\r])\n/.test(text),
    trailingNewline: text.endsWith('\n'),
  };
}
