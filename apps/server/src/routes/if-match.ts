import { Type } from 'typebox';

/** `If-Match: <version>` as read from a GET: the write answers 409 if the entity changed since. */
export const IfMatch = Type.Object({
  'if-match': Type.Optional(
    Type.String({
      maxLength: 100,
      description: "The entity's `version` as read: a changed entity answers 409",
    }),
  ),
});

/** `{ expectedVersion }` for the core writers (ETag quoting and `W/` tolerated). */
export function ifMatchOptions(headers: { 'if-match'?: string | undefined }): { expectedVersion?: string } {
  return headers['if-match'] ? { expectedVersion: headers['if-match'].replace(/^W\/|"/g, '') } : {};
}
