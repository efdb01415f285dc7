import type { Static, TSchema, TSchemaOptions } from 'typebox';
import { Type } from 'typebox';

const COMBINERS = ['const', 'enum', 'anyOf', 'allOf', 'oneOf', 'not', '$ref'];

/**
 * `schema` or null, with `options` (a description) on the whole. A schema of one JSON type (no const
 * or combinator) becomes that schema with `type: [its type, 'null']` (JSON Schema 2020-12, OpenAPI
 * 3.1), a StringEnum gains `null` among its values, and a named object schema (one with an `$id`) is
 * written out in place rather than referenced, all rather than an `anyOf` with null: the same values
 * validate, but fast-json-stringify serializes a type list directly, whereas for each `anyOf` it
 * compiles an Ajv validator (~20 ms each on a route's first answer) and runs it for every value it
 * writes, to pick the branch (every /identity answer, every run of a list).
 */
export const Nullable = <T extends TSchema>(schema: T, options: TSchemaOptions = {}) => {
  const { $id, ...rest } = schema as { $id?: string; type?: unknown; enum?: unknown };
  const { type, enum: values } = rest;
  const plain = !COMBINERS.some((key) => key !== 'enum' && key in rest);
  if (typeof type === 'string' && plain && Array.isArray(values)) {
    return Type.Unsafe<Static<T> | null>({
      ...rest,
      ...options,
      type: [type, 'null'],
      enum: [...values, null],
    });
  }
  if (typeof type === 'string' && plain && !('enum' in rest)) {
    return Type.Unsafe<Static<T> | null>({ ...rest, ...options, type: [type, 'null'] });
  }
  return Type.Union([schema, Type.Null()], options);
};

/**
 * One of `values`, as `{type: 'string', enum}` rather than TypeBox's `anyOf` of consts: the same
 * values validate and OpenAPI clients see the same union, but fast-json-stringify writes a string
 * directly instead of compiling and running an Ajv validator per value (see Nullable).
 */
export const StringEnum = <const T extends readonly string[]>(values: T, options: object = {}) =>
  Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] });

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
      StringEnum(['process_env', 'dotenv', 'meltano_yml', 'meltano'], {
        description: 'The layer that sets it; null when unset',
      }),
    ),
    secret: Type.Boolean({ description: 'A secret’s variable: its value is never shown' }),
  },
  { $id: 'EnvReference' },
);
export const EnvReferences = Type.Array(Type.Ref('EnvReference'), {
  description: 'Each `$VAR` the values read, whether it is set and where from; values are shown as written',
});
export const AnyMap = Type.Record(Type.String(), Type.Unknown());
