import { Document, isMap, isScalar, isSeq, type Node, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { CoreError } from '../errors.js';
import type { RawMap } from '../project/raw-values.js';
import { stableJson } from './fingerprint.js';
import { columnOf, lineEndAfter, lineStart, type YamlSource } from './yaml-source.js';

/**
 * Entity-level edits of a top-level list (`schedules:`, `jobs:`) as splices into the original text. Only the
 * lines of the edited entity change; inside an updated entity only the keys whose value changed are
 * rewritten (a changed scalar keeps its quoting and trailing comment). New text uses the file's line ending,
 * indentation and dash style, and the file keeps its trailing-newline state.
 */

export interface Splice {
  start: number;
  end: number;
  text: string;
}

export type RangedNode = Node & { range: [number, number, number] };

export function appendListItem(src: YamlSource, key: string, list: unknown[], item: RawMap): string {
  const pair = topPair(src, key);
  const seq = pair?.value;
  if (pair && isSeq(seq) && !seq.flow && seq.items.length > 0) {
    const last = seq.items[seq.items.length - 1] as RangedNode;
    const end = lineEndAfter(src.text, src.at(last.range[1]));
    return finish(src, [{ start: end, end, text: lines(src, renderItem(src, item, dashColumn(src, last))) }]);
  }
  return rewriteTopPair(src, key, pair, [...list, item]);
}

export function removeListItem(
  src: YamlSource,
  key: string,
  list: unknown[],
  index: number,
  keepEmpty: boolean,
): string {
  const pair = topPair(src, key);
  const seq = pair?.value;
  if (!pair || !isSeq(seq)) throw notFound(key, index);
  const rest = list.filter((_, i) => i !== index);
  if (seq.flow || (rest.length === 0 && keepEmpty)) return rewriteTopPair(src, key, pair, rest);
  if (rest.length === 0) {
    // meltano.yml: Meltano drops empty lists from the file, so the key goes with its last item.
    const start = lineStart(src.text, src.at(keyNode(pair).range[0]));
    return finish(src, [{ start, end: pairEnd(src, pair), text: '' }]);
  }
  const item = seq.items[index] as RangedNode | undefined;
  if (!item) throw notFound(key, index);
  const start = lineStart(src.text, dashOffset(src, item));
  return finish(src, [{ start, end: lineEndAfter(src.text, src.at(item.range[1])), text: '' }]);
}

export function replaceListItem(
  src: YamlSource,
  key: string,
  list: unknown[],
  index: number,
  current: RawMap,
  next: RawMap,
): string {
  const pair = topPair(src, key);
  const seq = pair?.value;
  if (!pair || !isSeq(seq)) throw notFound(key, index);
  if (seq.flow)
    return rewriteTopPair(
      src,
      key,
      pair,
      list.map((old, i) => (i === index ? next : old)),
    );
  const item = seq.items[index] as RangedNode | undefined;
  if (!item) throw notFound(key, index);
  const splices = isMap(item) && !item.flow ? keySplices(src, item, current, next) : null;
  if (splices) return finish(src, splices);
  // A flow item, or a shape key-level splices cannot express: rewrite just this item.
  const start = lineStart(src.text, dashOffset(src, item));
  const end = lineEndAfter(src.text, src.at(item.range[1]));
  return finish(src, [{ start, end, text: lines(src, renderItem(src, next, dashColumn(src, item))) }]);
}

/** Splices for the keys that differ, or null when the first key would be removed (it shares the dash line). */
function keySplices(src: YamlSource, item: YAMLMap, current: RawMap, next: RawMap): Splice[] | null {
  const pairs = item.items as Pair[];
  const first = pairs[0];
  if (!first) return null;
  const contentColumn = columnOf(src.text, src.at(keyNode(first).range[0]));
  const splices: Splice[] = [];
  for (const [index, pair] of pairs.entries()) {
    const name = String(keyNode(pair).value);
    if (!(name in next)) {
      if (index === 0) return null;
      splices.push({
        start: lineStart(src.text, src.at(keyNode(pair).range[0])),
        end: pairEnd(src, pair),
        text: '',
      });
    } else if (stableJson(current[name]) !== stableJson(next[name])) {
      splices.push(
        ...(nestedSplices(src, pair, current[name], next[name]) ?? [
          replaceValue(src, pair, name, next[name], contentColumn),
        ]),
      );
    }
  }
  const added = Object.keys(next).filter((name) => !(name in current));
  if (added.length > 0) {
    const end = pairEnd(src, pairs[pairs.length - 1] as Pair);
    const text = added.flatMap((name) => indent(renderPair(src, name, next[name]), contentColumn));
    splices.push({ start: end, end, text: lines(src, text) });
  }
  return splices;
}

const isPlainMap = (v: unknown): v is RawMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A changed block mapping (an environment's `config:`), or a block list of named mappings with the same
 * names in the same order (`extractors:` overrides), edited key by key inside: comments and quoting of
 * the nested keys that did not change stay. Null when the shape does not allow it (the pair is rewritten).
 */
function nestedSplices(src: YamlSource, pair: Pair, current: unknown, next: unknown): Splice[] | null {
  const node = pair.value;
  if (isMap(node) && !node.flow && isPlainMap(current) && isPlainMap(next)) {
    return keySplices(src, node, current, next);
  }
  if (!isSeq(node) || node.flow || !Array.isArray(current) || !Array.isArray(next)) return null;
  if (current.length !== next.length || node.items.length !== current.length) return null;
  const splices: Splice[] = [];
  for (const [i, item] of node.items.entries()) {
    const before = current[i];
    const after = next[i];
    if (stableJson(before) === stableJson(after)) continue;
    if (!isMap(item) || item.flow || !isPlainMap(before) || !isPlainMap(after)) return null;
    if (before.name === undefined || before.name !== after.name) return null;
    const inner = keySplices(src, item, before, after);
    if (inner === null) return null;
    splices.push(...inner);
  }
  return splices;
}

/** A one-line scalar is replaced in place (keeping its quote style and comment); anything else, the pair. */
function replaceValue(src: YamlSource, pair: Pair, name: string, value: unknown, column: number): Splice {
  const node = pair.value as RangedNode | null;
  if (
    isScalar(node) &&
    !String(node.type).startsWith('BLOCK') &&
    value !== null &&
    typeof value !== 'object'
  ) {
    const start = src.at(node.range[0]);
    const end = src.at(node.range[1]);
    const old = src.text.slice(start, end);
    const text = renderScalar(src, value, node.type);
    if (old !== '' && !old.includes('\n') && !text.includes('\n')) return { start, end, text };
  }
  const rendered = renderPair(src, name, value);
  const [head = '', ...tail] = rendered;
  return {
    start: src.at(keyNode(pair).range[0]),
    end: pairEnd(src, pair),
    text: lines(src, [head, ...indent(tail, column)]),
  };
}

/** Replace (or add at the end of the file) a whole top-level `key:` with a block list of `items`. */
function rewriteTopPair(src: YamlSource, key: string, pair: Pair | undefined, items: unknown[]): string {
  const body =
    items.length === 0
      ? [`${key}: []`]
      : [`${key}:`, ...items.flatMap((item) => renderItem(src, item, src.style.dashOffset))];
  return writeTopPair(src, key, pair, body);
}

/** Replace a whole top-level `key:` with `body` (lines from column 0), or add it at the end of the file. */
export function writeTopPair(src: YamlSource, key: string, pair: Pair | undefined, body: string[]): string {
  if (pair) {
    const start = src.at(keyNode(pair).range[0]);
    return finish(src, [{ start, end: pairEnd(src, pair), text: lines(src, body) }]);
  }
  if (src.doc.contents !== null && !(isMap(src.doc.contents) && !src.doc.contents.flow)) {
    throw new CoreError(
      'project_write_unsupported',
      422,
      `Cannot add \`${key}\` to a file that is not a block mapping`,
    );
  }
  const end = src.text.length;
  return finish(src, [{ start: end, end, text: lines(src, body) }]);
}

export function topPair(src: YamlSource, key: string): Pair | undefined {
  const contents = src.doc.contents;
  if (!isMap(contents)) return undefined;
  return (contents.items as Pair[]).find((pair) => isScalar(pair.key) && pair.key.value === key);
}

export function keyNode(pair: Pair): Scalar & RangedNode {
  return pair.key as Scalar & RangedNode;
}

/** End of the last line of a pair (its value, or the key when the value is empty), comments on it included. */
export function pairEnd(src: YamlSource, pair: Pair): number {
  const value = pair.value as RangedNode | null;
  const end = value?.range ? value.range[1] : keyNode(pair).range[1];
  return lineEndAfter(src.text, src.at(Math.max(end, keyNode(pair).range[1])));
}

/** Offset of the `-` that introduces a block sequence item (it may sit on an earlier line). */
export function dashOffset(src: YamlSource, item: RangedNode): number {
  let offset = src.at(item.range[0]) - 1;
  while (offset > 0 && /\s/.test(src.text[offset] ?? '')) offset--;
  return src.text[offset] === '-' ? offset : src.at(item.range[0]);
}

export function dashColumn(src: YamlSource, item: RangedNode): number {
  return columnOf(src.text, dashOffset(src, item));
}

function toStringOptions(src: YamlSource) {
  return {
    indent: src.style.indent,
    indentSeq: src.style.dashOffset > 0,
    lineWidth: 0,
    minContentWidth: 0,
    singleQuote: true,
  };
}

export function yamlLines(src: YamlSource, value: unknown): string[] {
  return new Document(value).toString(toStringOptions(src)).replace(/\n$/, '').split('\n');
}

function renderScalar(src: YamlSource, value: unknown, type: Scalar['type']): string {
  const doc = new Document(value);
  if (isScalar(doc.contents) && type) doc.contents.type = type;
  return doc.toString(toStringOptions(src)).replace(/\n$/, '');
}

function renderPair(src: YamlSource, key: string, value: unknown): string[] {
  return yamlLines(src, { [key]: value });
}

export function renderItem(src: YamlSource, item: unknown, dash: number): string[] {
  const [head = '', ...tail] = yamlLines(src, item);
  return [`${' '.repeat(dash)}- ${head}`, ...indent(tail, dash + 2)];
}

/** Indent continuation lines; empty lines stay empty so block scalars keep their content. */
export function indent(text: string[], column: number): string[] {
  return text.map((line) => (line === '' ? line : ' '.repeat(column) + line));
}

/** Lines joined with the file's line ending, each terminated (the file's end state is fixed in `finish`). */
export function lines(src: YamlSource, text: string[]): string {
  return text.map((line) => line + src.eol).join('');
}

export function finish(src: YamlSource, splices: Splice[]): string {
  let text = src.text;
  let limit = Number.POSITIVE_INFINITY;
  for (const splice of [...splices].sort((a, b) => b.start - a.start || b.end - a.end)) {
    if (splice.end > limit) throw new CoreError('project_write_failed', 500, 'Overlapping YAML edits');
    let insert = splice.text;
    // Appending after a last line that has no line ending: start a new line first.
    if (insert !== '' && splice.start === text.length && text !== '' && !text.endsWith('\n')) {
      insert = src.eol + insert;
    }
    text = text.slice(0, splice.start) + insert + text.slice(splice.end);
    limit = splice.start;
  }
  // Keep the file's trailing-newline state either way.
  if (src.text !== '' && !src.text.endsWith('\n')) text = text.replace(/\r?\n$/, '');
  else if (src.text.endsWith('\n') && text !== '' && !text.endsWith('\n')) text += src.eol;
  return text;
}

function notFound(key: string, index: number): CoreError {
  return new CoreError('project_write_failed', 500, `No item ${index} under \`${key}\``);
}
