import type { TSchema } from 'typebox';
import { Type } from 'typebox';

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

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
export const AnyMap = Type.Record(Type.String(), Type.Unknown());
