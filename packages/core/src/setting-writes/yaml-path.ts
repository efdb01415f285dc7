import { isRecord } from '../project/raw-values.js';

/**
 * A place in a project file: mapping keys, and `{ name }` for the item of a list of named entities
 * (`plugins.extractors[name=tap-x]`, `environments[name=dev]`).
 */
export type YamlStep = string | { name: string };
export type YamlPath = YamlStep[];

/** Plain-data edits on a file's parsed value, the reference the spliced text must parse back to. */

function named(list: unknown[], name: string): Record<string, unknown> | undefined {
  return list.find((item): item is Record<string, unknown> => isRecord(item) && item.name === name);
}

/** `data` with `value` at `path`; missing or non-mapping levels become mappings, like Meltano's `nest(force=True)`. */
export function setInData(data: unknown, path: YamlPath, value: unknown): unknown {
  const [step, ...rest] = path;
  if (step === undefined) return value;
  if (typeof step === 'string') {
    const map = isRecord(data) ? { ...data } : {};
    map[step] = setInData(map[step], rest, value);
    return map;
  }
  const list = Array.isArray(data) ? [...data] : [];
  const item = named(list, step.name);
  if (item) list[list.indexOf(item)] = setInData(item, rest, value);
  else list.push(setInData({ name: step.name }, rest, value));
  return list;
}

/**
 * `data` without the key at `path`. A mapping left empty goes too when it is the value of `path[i]` with
 * `i >= pruneFrom` (Meltano's `pop_at_path`, and its dropping of an empty `config:`). Unchanged data when
 * there is no such key.
 */
export function removeInData(data: unknown, path: YamlPath, pruneFrom: number): unknown {
  return removeAt(data, path, pruneFrom).data;
}

function removeAt(data: unknown, path: YamlPath, pruneFrom: number): { data: unknown; empty: boolean } {
  const [step, ...rest] = path;
  if (step === undefined) return { data, empty: false };
  if (typeof step === 'string') {
    if (!isRecord(data) || !Object.hasOwn(data, step)) return { data, empty: false };
    const map = { ...data };
    if (rest.length === 0) {
      delete map[step];
    } else {
      const child = removeAt(map[step], rest, pruneFrom - 1);
      if (child.empty) delete map[step];
      else map[step] = child.data;
    }
    return { data: map, empty: pruneFrom < 0 && Object.keys(map).length === 0 };
  }
  if (!Array.isArray(data)) return { data, empty: false };
  const item = named(data, step.name);
  if (!item) return { data, empty: false };
  const list = [...data];
  list[list.indexOf(item)] = removeAt(item, rest, pruneFrom - 1).data;
  return { data: list, empty: false };
}

/** The value at `path`, or undefined. */
export function getInData(data: unknown, path: YamlPath): unknown {
  let current = data;
  for (const step of path) {
    if (typeof step === 'string') current = isRecord(current) ? current[step] : undefined;
    else current = Array.isArray(current) ? named(current, step.name) : undefined;
    if (current === undefined) return undefined;
  }
  return current;
}
