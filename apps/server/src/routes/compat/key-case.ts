import { InvalidInputError } from '@meltano-ui/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * The old Meltano UI's `X-JSON-SCHEME` key-case negotiation (reference §0.3), with pyhumps 3.8's
 * rules. Hand-written: the npm camel-case libraries (humps, camelcase, camelcase-keys) differ from
 * pyhumps where it matters here: they rewrite all-uppercase keys (`TAP_GITLAB_TOKEN` → `tapGitlabToken`)
 * and leading underscores, and split acronyms differently (`HTTPResponse`); pyhumps leaves the first
 * two alone and has its own acronym rule, copied below regex for regex.
 */

// pyhumps' regexes, verbatim.
const ACRONYM_RE = /([A-Z\d]+)(?=[A-Z\d]|$)/g;
const SPLIT_RE = /([-_]*[A-Z][^A-Z]*[-_]*)/;
const UNDERSCORE_RE = /(?<=[^-_])[-_]+[^-_]/g;

/** Python's str.isupper(): at least one cased character, and every cased one upper-case. */
function isUpper(s: string): boolean {
  let cased = false;
  for (const ch of s) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    if (lower === upper) continue;
    cased = true;
    if (ch !== upper) return false;
  }
  return cased;
}

/** Python's str.isnumeric() for what keys hold: non-empty, digits only. */
function isNumeric(s: string): boolean {
  return /^\p{N}+$/u.test(s);
}

/** Python's str.title(): each run of letters capitalised, the rest of it lower-cased. */
function title(s: string): string {
  return s.toLowerCase().replace(/(^|[^\p{L}])(\p{L})/gu, (_m, before: string, letter: string) => {
    return before + letter.toUpperCase();
  });
}

/** pyhumps.camelize of one string. */
export function camelize(s: string): string {
  if (isUpper(s) || isNumeric(s)) return s;
  let out = s;
  if (out.length !== 0 && !isUpper(out.slice(0, 2))) out = out[0]?.toLowerCase() + out.slice(1);
  return out.replace(UNDERSCORE_RE, (m) => (m.at(-1) ?? '').toUpperCase());
}

/** pyhumps.decamelize of one string. */
export function decamelize(s: string): string {
  if (isUpper(s) || isNumeric(s)) return s;
  const fixed = s.replace(ACRONYM_RE, (m) => title(m));
  return fixed
    .split(SPLIT_RE)
    .filter((part) => part !== '')
    .join('_')
    .toLowerCase();
}

export type KeyCase = 'camel' | 'snake';

/** Maps whose keys (and everything inside) are never converted: setting names are the user's. */
const FROZEN = new Set(['config', 'config_metadata', 'configMetadata']);

class Collision extends Error {}
class TooDeep extends Error {}
/** Deeper bodies are refused (input) or sent as they are (output): no recursion without a bound. */
const MAX_DEPTH = 64;

function convert(value: unknown, fn: (key: string) => string, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth > MAX_DEPTH) throw new TooDeep();
  if (Array.isArray(value)) return value.map((v) => convert(v, fn, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    // Keys that begin with `_` are left as they are (Meltano's json.py); pyhumps leaves upper-case ones.
    const converted = key.startsWith('_') ? key : fn(key);
    if (Object.hasOwn(out, converted)) throw new Collision(converted);
    // defineProperty: a key such as `__proto__` stays a plain key, never the object's prototype.
    Object.defineProperty(out, converted, {
      value: FROZEN.has(key) ? inner : convert(inner, fn, depth + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

/**
 * `body` with its keys in `keyCase`, recursively; the body unchanged when two keys would collide
 * (Meltano's fallback).
 */
export function convertKeys(body: unknown, keyCase: KeyCase): unknown {
  try {
    return convert(body, keyCase === 'camel' ? camelize : decamelize);
  } catch (err) {
    if (err instanceof Collision || err instanceof TooDeep) return body;
    throw err;
  }
}

/**
 * A request body as the old UI decoded it: snake_case keys whatever the header says (but setting names
 * inside `config` kept, unlike Meltano, which rewrote `accountId` to `account_id`). On a collision the
 * body stays as sent (Meltano crashed with a 500).
 */
export function snakeInput(body: unknown): unknown {
  try {
    return convert(body, decamelize);
  } catch (err) {
    if (err instanceof Collision) return body;
    if (err instanceof TooDeep)
      throw new InvalidInputError(`The body is nested more than ${MAX_DEPTH} levels deep.`);
    throw err;
  }
}

/** The `X-JSON-SCHEME` the request asks for, or null (absent or another value: keys left alone). */
export function requestedKeyCase(request: FastifyRequest): KeyCase | null {
  const header = request.headers['x-json-scheme'];
  const value = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
  return value === 'camel' || value === 'snake' ? value : null;
}

/**
 * onSend hook: a JSON answer re-keyed as `X-JSON-SCHEME` asks. After serialization, so the response
 * schemas (snake_case, as documented) still apply and strip nothing.
 */
export async function keyCaseOnSend(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  const keyCase = requestedKeyCase(request);
  if (keyCase === null || typeof payload !== 'string') return payload;
  const type = String(reply.getHeader('content-type') ?? '');
  if (!type.startsWith('application/json')) return payload;
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return payload;
  }
  return JSON.stringify(convertKeys(parsed, keyCase));
}

/** preValidation hook: JSON request bodies decoded to snake_case keys (see snakeInput). */
export async function snakeBodyPreValidation(request: FastifyRequest) {
  if (request.body !== null && typeof request.body === 'object') request.body = snakeInput(request.body);
}
