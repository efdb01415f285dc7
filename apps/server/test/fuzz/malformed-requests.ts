import {
  CONTENT_TYPES,
  HEADER_VALUES,
  JSON_VALUES,
  ODD_METHODS,
  PRE_ENCODED,
  RAW,
  RAW_BODIES,
} from './hostile-values.js';

export interface FuzzRequest {
  method: string;
  /** Path and query exactly as sent (already encoded). */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** What was mutated, to name a failure. */
  label: string;
}

interface OpenApiParameter {
  in: 'path' | 'query' | 'header';
  name: string;
  schema?: { type?: string };
}
interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: { properties?: Record<string, unknown> } }> };
  tags?: string[];
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
}

/** A small seeded PRNG (mulberry32), so a failing round can be replayed with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)] as T;

/** `k` of `items` (all of them when k is Infinity), different for each seed. */
function sample<T>(random: () => number, items: readonly T[], k: number): T[] {
  if (k >= items.length) return [...items];
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, k);
}

export interface FuzzBreadth {
  /** Hostile values tried per parameter, header or body field (Infinity: every one). */
  valuesPerField: number;
  /** Headers mutated per operation. */
  headersPerOp: number;
  /** Random multi-field mutations per operation. */
  randomPerOp: number;
}

/** Every parameter value the fuzz tries, ready to put into a URL. */
const URL_VALUES = [...PRE_ENCODED, ...RAW.map((v) => encodeURIComponent(v))];

function fillPath(template: string, values: Record<string, string>): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => values[name] ?? 'x');
}

function jsonBody(value: unknown): Buffer {
  return Buffer.from(JSON.stringify(value));
}

/**
 * Malformed requests for one operation of the OpenAPI document: each path parameter, query parameter,
 * header and body field in turn set to every hostile value, the base values elsewhere; raw bodies and
 * content types; odd methods. `valid` gives a real value for each path parameter (so mutations of the
 * others reach the handler); `breadth` says how many of the hostile values each part gets.
 */
export function malformedRequests(
  template: string,
  method: string,
  op: OpenApiOperation,
  valid: Record<string, string>,
  random: () => number,
  breadth: FuzzBreadth,
): FuzzRequest[] {
  const some = <T>(items: readonly T[]) => sample(random, items, breadth.valuesPerField);
  const out: FuzzRequest[] = [];
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path').map((p) => p.name);
  const queryParams = params.filter((p) => p.in === 'query').map((p) => p.name);
  const headerParams = params.filter((p) => p.in === 'header').map((p) => p.name.toLowerCase());
  const bodyFields = Object.keys(op.requestBody?.content?.['application/json']?.schema?.properties ?? {});
  const hasBody = op.requestBody !== undefined;
  const M = method.toUpperCase();
  const base = fillPath(template, valid);
  const jsonHeaders = { 'content-type': 'application/json' };
  const baseBody = hasBody ? jsonBody({}) : undefined;
  const req = (label: string, path: string, headers: Record<string, string> = {}, body = baseBody) =>
    out.push({
      method: M,
      path,
      headers: body ? { ...jsonHeaders, ...headers } : headers,
      ...(body ? { body } : {}),
      label: `${M} ${template} ${label}`,
    });

  for (const name of pathParams) {
    for (const value of some(URL_VALUES))
      req(`path ${name}=${value.slice(0, 40)}`, fillPath(template, { ...valid, [name]: value }));
  }
  for (const name of queryParams) {
    for (const value of some(URL_VALUES))
      req(`query ${name}=${value.slice(0, 40)}`, `${base}?${name}=${value}`);
    req(`query ${name} repeated`, `${base}?${name}=1&${name}=2&${name}=${'x'.repeat(1000)}`);
    req(`query ${name} as object`, `${base}?${name}[a]=1&${name}[__proto__]=2`);
    req(`query ${name} many`, `${base}?${Array.from({ length: 500 }, (_, i) => `${name}=${i}`).join('&')}`);
  }
  req('unknown query', `${base}?__proto__[x]=1&constructor[prototype][x]=1&zzz=1`);
  const headers = [...headerParams, ...sample(random, Object.keys(HEADER_VALUES), breadth.headersPerOp)];
  for (const name of new Set(headers)) {
    for (const value of some(HEADER_VALUES[name] ?? URL_VALUES))
      req(`header ${name}=${value.slice(0, 40)}`, base, { [name]: value });
  }
  if (hasBody) {
    for (const field of bodyFields) {
      for (const value of some(JSON_VALUES))
        req(`body ${field}=${JSON.stringify(value)?.slice(0, 40)}`, base, {}, jsonBody({ [field]: value }));
    }
    for (const value of JSON_VALUES)
      req(`body=${JSON.stringify(value)?.slice(0, 40)}`, base, {}, jsonBody(value));
    req('body unknown keys', base, {}, jsonBody({ zzz: 1, __proto__x: 2 }));
    for (const { label, body } of some(RAW_BODIES)) req(`raw body: ${label}`, base, {}, body);
    for (const type of CONTENT_TYPES)
      req(`content-type ${type}`, base, { 'content-type': type }, jsonBody({}));
    req('no content-type', base, { 'content-type': '' }, jsonBody({}));
  } else {
    req('unexpected body', base, { 'content-type': 'application/json' }, jsonBody({ a: 1 }));
  }
  for (const odd of ODD_METHODS) {
    if (odd !== M) out.push({ method: odd, path: base, headers: {}, label: `${odd} ${template}` });
  }
  for (let i = 0; i < breadth.randomPerOp; i++) {
    const values = Object.fromEntries(
      pathParams.map((p) => [p, random() < 0.5 ? (valid[p] ?? 'x') : pick(random, URL_VALUES)]),
    );
    const query = queryParams.filter(() => random() < 0.5).map((q) => `${q}=${pick(random, URL_VALUES)}`);
    const headers: Record<string, string> = {};
    for (const h of Object.keys(HEADER_VALUES))
      if (random() < 0.2) headers[h] = pick(random, HEADER_VALUES[h] ?? []);
    const body = hasBody
      ? random() < 0.3
        ? pick(random, RAW_BODIES).body
        : jsonBody(
            Object.fromEntries(
              bodyFields.filter(() => random() < 0.5).map((f) => [f, pick(random, JSON_VALUES)]),
            ),
          )
      : undefined;
    req(
      `random #${i}`,
      `${fillPath(template, values)}${query.length ? `?${query.join('&')}` : ''}`,
      headers,
      body,
    );
  }
  return out;
}

/** Every operation of the document, in document order. */
export function operations(
  doc: OpenApiDocument,
): { template: string; method: string; op: OpenApiOperation }[] {
  return Object.entries(doc.paths).flatMap(([template, ops]) =>
    Object.entries(ops)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .map(([method, op]) => ({ template, method, op })),
  );
}
