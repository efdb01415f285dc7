import {
  Document,
  isMap,
  isScalar,
  isSeq,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { CoreError } from '../errors.js';
import {
  dashColumn,
  dashOffset,
  finish,
  indent,
  keyNode,
  lines,
  pairEnd,
  type RangedNode,
} from '../project-writes/yaml-edit.js';
import { columnOf, lineEndAfter, lineStart, type YamlSource } from '../project-writes/yaml-source.js';
import { getInData, removeInData, setInData, type YamlPath } from './yaml-path.js';

/**
 * Setting edits spliced into a project file's text: only the lines of the changed key change (a scalar
 * replaced in place keeps its quotes and comment), missing levels are added under their parent in the
 * file's indentation and dash style. Where a level is a flow collection or empty, that one level is
 * re-rendered from the edited data. `data` is the file's parsed value; the text must parse back to
 * `setInData`/`removeInData` of it (the caller checks).
 */

export function spliceSet(src: YamlSource, data: unknown, path: YamlPath, value: unknown): string {
  const after = setInData(data, path, value);
  const at = (length: number) => getInData(after, path.slice(0, length));
  let map = rootMap(src);
  if (map === null)
    return finish(src, [
      { start: src.text.length, end: src.text.length, text: lines(src, render(src, after)) },
    ]);
  for (let i = 0; i < path.length; i++) {
    const step = path[i] as string;
    const pair = findPair(map, step);
    if (!pair) return insertPair(src, map, step, at(i + 1));
    if (i === path.length - 1) return replacePairValue(src, pair, value);
    const child = pair.value;
    const next = path[i + 1];
    if (typeof next === 'string') {
      if (isMap(child) && !child.flow) {
        map = child;
        continue;
      }
      return replacePairValue(src, pair, at(i + 1));
    }
    if (!isSeq(child) || child.flow || next === undefined) return replacePairValue(src, pair, at(i + 1));
    const item = child.items.find((node) => isMap(node) && node.get('name') === next.name);
    if (!item) return appendItem(src, child, at(i + 2));
    if (!isMap(item) || item.flow) return replaceItem(src, item as RangedNode, at(i + 2));
    map = item;
    i++;
  }
  return src.text;
}

export function spliceRemove(src: YamlSource, data: unknown, path: YamlPath, pruneFrom: number): string {
  const after = removeInData(data, path, pruneFrom);
  const at = (length: number) => getInData(after, path.slice(0, length));
  const chain: { map: YAMLMap; pair: Pair; index: number }[] = [];
  let map = rootMap(src);
  for (let i = 0; map !== null && i < path.length; i++) {
    const pair = findPair(map, path[i] as string);
    if (!pair) return src.text;
    chain.push({ map, pair, index: i });
    if (i === path.length - 1) break;
    const child = pair.value;
    const next = path[i + 1];
    if (typeof next === 'string') {
      if (isMap(child) && !child.flow) {
        map = child;
        continue;
      }
      if (!isMap(child)) return src.text;
      // A flow mapping: re-render it, unless the removal empties it and it goes as well.
      if (at(i + 1) !== undefined) return replacePairValue(src, pair, at(i + 1));
      break;
    }
    if (!isSeq(child) || next === undefined) return src.text;
    const item = child.items.find((node) => isMap(node) && node.get('name') === next.name);
    if (!item) return src.text;
    if (!isMap(item) || item.flow || child.flow) {
      return child.flow
        ? replacePairValue(src, pair, at(i + 1))
        : replaceItem(src, item as RangedNode, at(i + 2));
    }
    map = item;
    i++;
  }
  return removePair(src, path, chain, pruneFrom, at);
}

/** Remove the innermost pair of `chain`, or the outermost ancestor the removal leaves empty and prunable. */
function removePair(
  src: YamlSource,
  path: YamlPath,
  chain: { map: YAMLMap; pair: Pair; index: number }[],
  pruneFrom: number,
  at: (length: number) => unknown,
): string {
  let k = chain.length - 1;
  const parentOf = (j: number) => chain[j - 1];
  while (k > 0) {
    const parent = parentOf(k);
    const { map } = chain[k] as (typeof chain)[number];
    if (!parent || parent.pair.value !== map || map.items.length !== 1 || parent.index < pruneFrom) break;
    k--;
  }
  const target = chain[k];
  if (!target) return src.text;
  const { map, pair, index } = target;
  const inListItem = index > 0 && typeof path[index - 1] !== 'string';
  if (inListItem && map.items[0] === pair) {
    // The first key shares its line with the item's dash: re-render the item.
    return replaceItem(src, map as unknown as RangedNode, at(index));
  }
  const parent = parentOf(k);
  if (map.items.length === 1 && parent && parent.pair.value === map) {
    return replacePairValue(src, parent.pair, at(parent.index + 1));
  }
  const start = lineStart(src.text, src.at(keyNode(pair).range[0]));
  return finish(src, [{ start, end: pairEnd(src, pair), text: '' }]);
}

function rootMap(src: YamlSource): YAMLMap | null {
  const root = src.doc.contents;
  if (root === null) return null;
  if (!isMap(root) || root.flow) {
    throw new CoreError('project_write_unsupported', 422, 'The file is not a block mapping of keys');
  }
  return root;
}

function findPair(map: YAMLMap, key: string): Pair | undefined {
  return (map.items as Pair[]).find((pair) => isScalar(pair.key) && String(pair.key.value) === key);
}

function insertPair(src: YamlSource, map: YAMLMap, key: string, value: unknown): string {
  const pairs = map.items as Pair[];
  const first = pairs[0] as Pair;
  const column = columnOf(src.text, src.at(keyNode(first).range[0]));
  const end = pairEnd(src, pairs[pairs.length - 1] as Pair);
  return finish(src, [{ start: end, end, text: lines(src, indent(renderPair(src, key, value), column)) }]);
}

/** A one-line scalar is replaced in place (keeping its quote style and comment); anything else, the pair. */
function replacePairValue(src: YamlSource, pair: Pair, value: unknown): string {
  const node = pair.value as (Node & { range: [number, number, number] }) | null;
  const scalarValue = isScalar(value) || (value !== null && typeof value !== 'object');
  if (isScalar(node) && !String(node.type).startsWith('BLOCK') && scalarValue) {
    const start = src.at(node.range[0]);
    const end = src.at(node.range[1]);
    const old = src.text.slice(start, end);
    const text = renderScalar(src, value, node.type);
    if (old !== '' && !old.includes('\n') && !text.includes('\n')) return finish(src, [{ start, end, text }]);
  }
  const key = keyNode(pair);
  const column = columnOf(src.text, src.at(key.range[0]));
  const [head = '', ...tail] = renderPair(src, String(key.value), value);
  return finish(src, [
    {
      start: src.at(key.range[0]),
      end: pairEnd(src, pair),
      text: lines(src, [head, ...indent(tail, column)]),
    },
  ]);
}

function appendItem(src: YamlSource, seq: YAMLSeq, item: unknown): string {
  const last = seq.items[seq.items.length - 1] as RangedNode;
  const end = lineEndAfter(src.text, src.at(last.range[1]));
  return finish(src, [{ start: end, end, text: lines(src, renderItem(src, item, dashColumn(src, last))) }]);
}

function replaceItem(src: YamlSource, item: RangedNode, value: unknown): string {
  const start = lineStart(src.text, dashOffset(src, item));
  const end = lineEndAfter(src.text, src.at(item.range[1]));
  return finish(src, [{ start, end, text: lines(src, renderItem(src, value, dashColumn(src, item))) }]);
}

/**
 * Rendered the way Meltano's ruamel writes (block style, no wrapping, single quotes when needed), and
 * quoting whatever YAML 1.1 would read as something else (`yes`, `2024-01-01`), so no reader retypes it.
 */
function render(src: YamlSource, value: unknown, scalarType?: Scalar['type']): string[] {
  const doc = new Document(value, { compat: 'yaml-1.1' });
  if (scalarType && isScalar(doc.contents)) doc.contents.type = scalarType;
  const text = doc.toString({
    indent: src.style.indent,
    indentSeq: src.style.dashOffset > 0,
    lineWidth: 0,
    minContentWidth: 0,
    singleQuote: true,
  });
  return text.replace(/\n$/, '').split('\n');
}

function renderScalar(src: YamlSource, value: unknown, type: Scalar['type']): string {
  return render(src, value, type).join('\n');
}

function renderPair(src: YamlSource, key: string, value: unknown): string[] {
  return render(src, new Map([[key, value]]));
}

function renderItem(src: YamlSource, item: unknown, dash: number): string[] {
  const [head = '', ...tail] = render(src, item);
  return [`${' '.repeat(dash)}- ${head}`, ...indent(tail, dash + 2)];
}
