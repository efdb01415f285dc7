import { CoreError } from '../errors.js';
import { PythonJsonError, parsePythonJson } from '../plugin-settings/python-json.js';
import { type PyDict, type PyValue, pyJsonDumps } from '../plugin-settings/python-value.js';

/** The largest state accepted, as JSON text (a state of many partitions can be megabytes). */
export const MAX_STATE_BYTES = 10 * 1024 * 1024;

/** A state that Meltano would refuse, or that cannot be stored. */
export class InvalidStateError extends CoreError {
  constructor(message: string, details?: Record<string, unknown>) {
    super('invalid_state', 422, message, details);
  }
}

export const isPyDict = (value: PyValue | undefined): value is PyDict =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && value.py === 'dict';

export const emptyDict = (): PyDict => ({ py: 'dict', entries: [] });

export function dictGet(dict: PyDict, key: string): PyValue | undefined {
  for (let i = dict.entries.length - 1; i >= 0; i--) {
    const entry = dict.entries[i];
    if (entry?.[0] === key) return entry[1];
  }
  return undefined;
}

/**
 * Meltano's `StateService.validate_state`, stricter on one point: `singer_state` must be an object (the
 * CLI only checks that the key is there, and a tap given anything else fails at its next run).
 */
export function validateSingerState(state: PyValue): PyDict {
  if (!isPyDict(state)) throw new InvalidStateError('The state must be a JSON object');
  const singer = dictGet(state, 'singer_state');
  if (singer === undefined) {
    throw new InvalidStateError('singer_state not found in top level of provided state');
  }
  if (!isPyDict(singer)) throw new InvalidStateError('singer_state must be a JSON object');
  const text = pyJsonDumps(state);
  if (Buffer.byteLength(text) > MAX_STATE_BYTES) {
    throw new InvalidStateError(`The state is larger than ${MAX_STATE_BYTES / 1024 / 1024} MiB`);
  }
  return state;
}

/** A state column's text as `json.loads` reads it; null for NULL. Not JSON: the CLI could not read it either. */
export function parseStoredState(text: string | null, what: string): PyValue {
  if (text === null) return null;
  try {
    return parsePythonJson(text);
  } catch (err) {
    if (!(err instanceof PythonJsonError)) throw err;
    throw new CoreError(
      'state_unreadable',
      409,
      `The stored ${what} is not JSON (${err.message}); Meltano cannot read it either. Set the state to replace it.`,
    );
  }
}

/**
 * `meltano.core.utils.merge(src, dest)` on copies: objects merge key by key, recursively; any other
 * value of `src` replaces (lists are not merged). Where `dest` holds a non-object and `src` a non-empty
 * object, Python fails (`'int' object has no attribute 'setdefault'`): refused here, naming the path.
 */
export function meltanoMerge(src: PyDict, dest: PyDict): PyDict {
  const out = structuredClone(dest);
  mergeInto(structuredClone(src), out, []);
  return out;
}

function mergeInto(src: PyDict, dest: PyDict, at: string[]): void {
  const index = new Map<string, number>();
  dest.entries.forEach(([key], i) => {
    index.set(key, i);
  });
  for (const [key, value] of src.entries) {
    const i = index.get(key);
    if (isPyDict(value)) {
      if (i === undefined) {
        const node = emptyDict();
        index.set(key, dest.entries.push([key, node]) - 1);
        mergeInto(value, node, [...at, key]);
        continue;
      }
      const node = dest.entries[i]?.[1] ?? null;
      if (isPyDict(node)) mergeInto(value, node, [...at, key]);
      else if (value.entries.length > 0) {
        const path = [...at, key].join('.');
        throw new InvalidStateError(
          `Cannot merge an object into ${path}, which holds ${describe(node)} (Meltano's merge fails there too); set the state instead`,
          { path },
        );
      }
      continue;
    }
    if (i === undefined) index.set(key, dest.entries.push([key, value]) - 1);
    else dest.entries[i] = [key, value];
  }
}

function describe(value: PyValue): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a boolean';
  return 'a number';
}

/** True for Python's truthiness of a parsed state: a non-empty dict (None and {} are falsy). */
export const isNonEmptyDict = (value: PyValue): value is PyDict =>
  isPyDict(value) && value.entries.length > 0;

/**
 * The `state` member of a request body, read as Python's `json.loads` would (integers of any size, `1.0`
 * stays a float, key order kept), so what is stored is what the client sent. Null when absent.
 */
export function stateFromJsonText(text: string, member = 'state'): PyValue | undefined {
  let body: PyValue;
  try {
    body = parsePythonJson(text);
  } catch (err) {
    if (!(err instanceof PythonJsonError)) throw err;
    throw new InvalidStateError(`The body is not JSON Meltano can read: ${err.message}`);
  }
  return isPyDict(body) ? dictGet(body, member) : undefined;
}
