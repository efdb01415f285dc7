import { Type } from 'typebox';

export const LogChunk = Type.Object({
  run: Type.Integer({ description: 'runs.id' }),
  offset: Type.Integer({ description: 'Byte offset of the first byte of `text`' }),
  length: Type.Integer({ description: 'Bytes of `text`' }),
  size: Type.Integer({ description: 'Size of the file when it was read, in bytes' }),
  eof: Type.Boolean({ description: 'The chunk ends at the end of the file' }),
  lines: Type.Optional(Type.Integer({ description: 'Lines returned (tail requests)' })),
  text: Type.String(),
});

export const LogQuery = Type.Object({
  tail: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'Return the last N lines' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, description: 'Byte offset to read from' })),
  length: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 * 1024 * 1024 })),
  end: Type.Optional(
    Type.Integer({
      minimum: 0,
      description: 'Read backwards: the chunk ends at this byte (older lines on scroll-up)',
    }),
  ),
  from_end: Type.Optional(
    Type.Boolean({ description: 'With `length`: the chunk ends at the end of the file' }),
  ),
});
