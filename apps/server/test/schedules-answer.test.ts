import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvReference } from '../src/schemas/common.js';
import { Schedule } from '../src/schemas/pipeline.js';
import { FailureCause, Run, RunOutcome, RunTotals } from '../src/schemas/run.js';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

// GET /api/v1/schedules is written by JSON.stringify, not by the schema's serializer (which would drop
// any field the schema does not name): every field it sends must be in the schema, at every depth.

type Schema = {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
  anyOf?: Schema[];
};

const BY_ID = new Map<string, Schema>(
  [EnvReference, FailureCause, Run, RunOutcome, RunTotals].map((s) => [
    (s as { $id?: string }).$id ?? '',
    s as Schema,
  ]),
);

/** Paths in `value` that `schema` does not describe. */
function outsideSchema(value: unknown, schema: Schema, at: string): string[] {
  if (schema.$ref) {
    const target = BY_ID.get(schema.$ref);
    if (target === undefined) throw new Error(`the test does not know the schema ${schema.$ref}`);
    return outsideSchema(value, target, at);
  }
  if (value === null || typeof value !== 'object') return [];
  if (schema.anyOf) {
    const fits = schema.anyOf.map((s) => outsideSchema(value, s, at));
    return fits.find((f) => f.length === 0) ?? fits[0] ?? [];
  }
  if (Array.isArray(value)) {
    return schema.items
      ? value.flatMap((v, i) => outsideSchema(v, schema.items as Schema, `${at}[${i}]`))
      : [];
  }
  const found: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const known = schema.properties?.[key];
    if (known) found.push(...outsideSchema(v, known, `${at}.${key}`));
    else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
      found.push(...outsideSchema(v, schema.additionalProperties, `${at}.${key}`));
    } else if (schema.additionalProperties !== true) found.push(`${at}.${key}`);
  }
  return found;
}

describe.each(DIALECTS)('the pipelines list on %s', (dialect) => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp(dialect, { version: 'v3.9.5' });
  });
  afterAll(() => app.cleanup());

  it('sends only the fields its schema names', async () => {
    const res = await app.server.inject({ url: '/api/v1/schedules' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const { schedules } = res.json() as { schedules: unknown[] };
    expect(schedules.length).toBeGreaterThan(3);
    const latest = schedules.filter((s) => (s as { latest_run: unknown }).latest_run !== null);
    expect(latest.length).toBeGreaterThan(0);
    expect(schedules.flatMap((s, i) => outsideSchema(s, Schedule as Schema, `schedules[${i}]`))).toEqual([]);
    // The check itself finds a field the schema does not name, at the top and inside a run.
    const [first] = latest as { latest_run: object }[];
    const planted = { ...first, token: 'x', latest_run: { ...first?.latest_run, payload: '{}' } };
    expect(outsideSchema(planted, Schedule as Schema, 's')).toEqual(['s.latest_run.payload', 's.token']);
  });
});
