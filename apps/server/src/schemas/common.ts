import type { Static, TSchema } from 'typebox';
import { Type } from 'typebox';

const COMBINERS = ['const', 'enum', 'anyOf', 'allOf', 'oneOf', 'not', '$ref'];

/**
 * `schema` or null. A schema of one JSON type (no const, enum or combinator) becomes that schema
 * with `type: [its type, 'null']` (JSON Schema 2020-12, OpenAPI 3.1) rather than an `anyOf` with
 * null: the same values validate, but fast-json-stringify serializes a type list directly, whereas
 * for each `anyOf` it compiles an Ajv validator (on the route's first answer: ~100 ms for a route
 * with a few) and runs it for every value it writes, to pick the branch.
 */
export const Nullable = <T extends TSchema>(schema: T) => {
  const type = (schema as { type?: unknown }).type;
  if (typeof type === 'string' && !COMBINERS.some((key) => key in schema)) {
    return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'] });
  }
  return Type.Union([schema, Type.Null()]);
};

export const Timestamp = Type.String({ format: 'date-time', description: 'ISO 8601, UTC, ends in Z' });

/** Every error the API returns. `code` is stable; `message` is for humans. */
export const ErrorBody = Type.Object(
  {
    error: Type.Literal(true),
    code: Type.String(),
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { $id: 'Error', description: 'An error; `code` is stable, `message` is for people' },
);

export const errorResponses = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, Type.Ref('Error')]));

export const StringMap = Type.Record(Type.String(), Type.String());

/** One `${VAR}` a value as written reads (core's env-references.ts has the rule); never its value. */
export const EnvReference = Type.Object(
  {
    name: Type.String(),
    is_set: Type.Boolean(),
    source: Nullable(
      Type.Union(
        [
          Type.Literal('process_env'),
          Type.Literal('dotenv'),
          Type.Literal('meltano_yml'),
          Type.Literal('meltano'),
        ],
        { description: 'The layer that sets it; null when unset' },
      ),
    ),
    secret: Type.Boolean({ description: 'A secret’s variable: its value is never shown' }),
  },
  { $id: 'EnvReference' },
);
export const EnvReferences = Type.Array(Type.Ref('EnvReference'), {
  description: 'Each `$VAR` the values read, whether it is set and where from; values are shown as written',
});
export const AnyMap = Type.Record(Type.String(), Type.Unknown());
