import { isMap, isScalar, isSeq, type Pair, type YAMLMap } from 'yaml';
import { CoreError } from '../errors.js';
import type { RawMap } from '../project/raw-values.js';
import {
  dashColumn,
  dashOffset,
  finish,
  indent,
  keyNode,
  lines,
  pairEnd,
  type RangedNode,
  renderItem,
  type Splice,
  topPair,
  writeTopPair,
  yamlLines,
} from './yaml-edit.js';
import { columnOf, lineEndAfter, lineStart, type YamlSource } from './yaml-source.js';

/**
 * Adding and removing one plugin under `plugins.<type>`, spliced into the original text like yaml-edit's
 * top-level lists: only the plugin's own lines change. Keys are created when missing (`plugins:`, the type)
 * and flow collections (`plugins: {}`, `loaders: []`) are rewritten in block style, as Meltano writes them.
 * `plugins` is the file's current `plugins:` value, `list` its `<type>` list.
 */

export function appendPluginItem(
  src: YamlSource,
  type: string,
  plugins: RawMap,
  list: unknown[],
  item: RawMap,
): string {
  const pluginsPair = topPair(src, 'plugins');
  const map = pluginsPair?.value;
  const items = [...list, item];
  if (!pluginsPair || !isMap(map) || map.flow || map.items.length === 0) {
    return rewritePlugins(src, pluginsPair, { ...plugins, [type]: items });
  }
  const typePair = pairIn(map, type);
  const seq = typePair?.value;
  if (typePair && isSeq(seq) && !seq.flow && seq.items.length > 0) {
    const last = seq.items[seq.items.length - 1] as RangedNode;
    const end = lineEndAfter(src.text, src.at(last.range[1]));
    return finish(src, [{ start: end, end, text: lines(src, renderItem(src, item, dashColumn(src, last))) }]);
  }
  if (typePair) return finish(src, [replaceTypePair(src, map, typePair, type, items)]);
  // A new type goes after the last one, at the column of its siblings.
  const end = pairEnd(src, map.items[map.items.length - 1] as Pair);
  return finish(src, [
    { start: end, end, text: lines(src, indent(typeBlock(src, type, items), keyColumn(src, map))) },
  ]);
}

/**
 * Removes item `index` of `plugins.<type>`. The last plugin of a type takes the type key with it; the last
 * plugin of the file leaves no `plugins:` in meltano.yml and `plugins: {}` in an included file
 * (`keepEmpty`), as Meltano rewrites them.
 */
export function removePluginItem(
  src: YamlSource,
  type: string,
  plugins: RawMap,
  list: unknown[],
  index: number,
  keepEmpty: boolean,
): string {
  const pluginsPair = topPair(src, 'plugins');
  const map = pluginsPair?.value;
  if (!pluginsPair || !isMap(map)) throw notFound(type, index);
  const rest = list.filter((_, i) => i !== index);
  const remaining: RawMap = { ...plugins, [type]: rest };
  if (rest.length === 0) delete remaining[type];
  if (map.flow) return rewritePlugins(src, pluginsPair, remaining, keepEmpty);
  const typePair = pairIn(map, type);
  const seq = typePair?.value;
  if (!typePair || !isSeq(seq)) throw notFound(type, index);

  if (rest.length > 0) {
    if (seq.flow) return finish(src, [replaceTypePair(src, map, typePair, type, rest)]);
    const item = seq.items[index] as RangedNode | undefined;
    if (!item) throw notFound(type, index);
    const start = lineStart(src.text, dashOffset(src, item));
    return finish(src, [{ start, end: lineEndAfter(src.text, src.at(item.range[1])), text: '' }]);
  }
  if (map.items.length > 1) return finish(src, [dropPair(src, typePair)]);
  if (keepEmpty) return writeTopPair(src, 'plugins', pluginsPair, ['plugins: {}']);
  return finish(src, [dropPair(src, pluginsPair)]);
}

function pairIn(map: YAMLMap, key: string): Pair | undefined {
  return (map.items as Pair[]).find((pair) => isScalar(pair.key) && pair.key.value === key);
}

function keyColumn(src: YamlSource, map: YAMLMap): number {
  return columnOf(src.text, src.at(keyNode(map.items[0] as Pair).range[0]));
}

/** `<type>:` and its items, from column 0, dashes placed the way this file places them. */
function typeBlock(src: YamlSource, type: string, items: unknown[]): string[] {
  return [`${type}:`, ...items.flatMap((item) => renderItem(src, item, src.style.dashOffset))];
}

function replaceTypePair(src: YamlSource, map: YAMLMap, pair: Pair, type: string, items: unknown[]): Splice {
  const [head = '', ...tail] = typeBlock(src, type, items);
  return {
    start: src.at(keyNode(pair).range[0]),
    end: pairEnd(src, pair),
    text: lines(src, [head, ...indent(tail, keyColumn(src, map))]),
  };
}

/** The whole pair, from the start of its key's line. */
function dropPair(src: YamlSource, pair: Pair): Splice {
  return { start: lineStart(src.text, src.at(keyNode(pair).range[0])), end: pairEnd(src, pair), text: '' };
}

function rewritePlugins(src: YamlSource, pair: Pair | undefined, value: RawMap, keepEmpty = true): string {
  if (Object.keys(value).length === 0) {
    if (keepEmpty || !pair) return writeTopPair(src, 'plugins', pair, ['plugins: {}']);
    return finish(src, [dropPair(src, pair)]);
  }
  return writeTopPair(src, 'plugins', pair, ['plugins:', ...indent(yamlLines(src, value), src.style.indent)]);
}

function notFound(type: string, index: number): CoreError {
  return new CoreError('project_write_failed', 500, `No item ${index} under \`plugins.${type}\``);
}
