import { Type } from 'typebox';
import { Nullable, StringEnum } from './common.js';

const ByteOffset = (description: string) =>
  Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description });
const LineNumber = (description: string) =>
  Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description });

export const LogChunk = Type.Object({
  run: Type.Integer({ description: 'runs.id' }),
  offset: Type.Integer({ description: 'Byte offset of the first byte of `text`' }),
  length: Type.Integer({ description: 'Bytes of `text`' }),
  size: Type.Integer({ description: 'Size of the file when it was read, in bytes' }),
  eof: Type.Boolean({ description: 'The chunk ends at the end of the file' }),
  first_line: Nullable(
    Type.Integer({
      minimum: 1,
      description:
        '1-based number of the line holding the first byte of `text` (chunks start at a line start, ' +
        'except inside a line longer than the chunk); null while the lines before it are still ' +
        'being counted — the first read near the end of a large log answers at once and indexes the ' +
        'file in the background; ask again shortly',
    }),
  ),
  lines: Type.Optional(Type.Integer({ description: 'Lines returned (tail requests)' })),
  text: Type.String(),
});

export const LogQuery = Type.Object({
  tail: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000, description: 'Return the last N lines' })),
  offset: Type.Optional(ByteOffset('Byte offset to read from')),
  length: Type.Optional(Type.Integer({ minimum: 1, maximum: 4 * 1024 * 1024 })),
  end: Type.Optional(ByteOffset('Read backwards: the chunk ends at this byte (older lines on scroll-up)')),
  from_end: Type.Optional(
    Type.Boolean({ description: 'With `length`: the chunk ends at the end of the file' }),
  ),
  line: Type.Optional(
    LineNumber('Read `length` bytes from the start of this 1-based line (links to a line); 416 past the end'),
  ),
});

export const LogSearchQuery = Type.Object({
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 500,
      pattern: '^[^\\r\\n]*$',
      description: 'Text to find, case-insensitive, no line breaks (`kind=text`)',
    }),
  ),
  kind: Type.Optional(
    StringEnum(['text', 'errors'], {
      default: 'text',
      description:
        '`errors` finds the markers of a failure instead of `q`: `[error`, `[critical`, ' +
        '`Traceback (most recent call last)`, ` ERROR `, `CRITICAL`',
    }),
  ),
  direction: Type.Optional(
    StringEnum(['forward', 'backward'], {
      default: 'forward',
      description: 'forward: first match at or after `from`; backward: last match before `from`',
    }),
  ),
  from: Type.Optional(
    ByteOffset('Byte offset to search from (default: the start, or the end going backward)'),
  ),
  from_line: Type.Optional(LineNumber('Search from the start of this 1-based line instead of `from`')),
});

export const LogMatch = Type.Object({
  offset: Type.Integer({ description: 'Byte offset of the match' }),
  line: Type.Integer({ minimum: 1, description: '1-based line number of the match' }),
  line_offset: Type.Integer({ description: 'Byte offset where that line starts' }),
  column: Nullable(
    Type.Integer({
      description: 'Where the match starts in the line text, in UTF-16 code units; null in lines over 4 MiB',
    }),
  ),
  match_length: Type.Integer({ description: 'Length of the matched text in UTF-16 code units' }),
});

export const LogSearchResult = Type.Object({
  run: Type.Integer({ description: 'runs.id' }),
  from: Type.Integer({
    description: 'Where this request started searching (`from`, or where `from_line` starts), in bytes',
  }),
  match: Nullable(LogMatch),
  resume_from: Nullable(
    Type.Integer({
      description:
        'With no match: the `from` to continue with (each request reads at most 32 MiB); null when ' +
        'the whole file in that direction was searched',
    }),
  ),
  scanned: Type.Integer({ description: 'Bytes read by this request' }),
  size: Type.Integer({ description: 'Size of the file when the search started' }),
});

const listOf = (values: readonly string[], description: string) =>
  Type.String({
    pattern: `^(${values.join('|')})(,(${values.join('|')}))*$`,
    maxLength: 200,
    description: `${description}, comma-separated (${values.join(', ')}); missing keeps all`,
  });

export const LogLinesQuery = Type.Object({
  level: Type.Optional(
    listOf(
      ['debug', 'info', 'warning', 'error', 'critical'],
      "Levels to keep (a plugin's own level word wins over Meltano's `[info]`; a plugin traceback is `error`)",
    ),
  ),
  source: Type.Optional(
    listOf(['extractor', 'loader', 'mapper', 'transformer', 'utility', 'meltano'], 'Who wrote the line'),
  ),
  stdio: Type.Optional(
    listOf(
      ['stdout', 'stderr'],
      "The plugin's stream (lines that do not record it, like all of Meltano 4's, are dropped)",
    ),
  ),
  before: Type.Optional(
    ByteOffset('The last matches among the lines before this byte, a line start (default: the end)'),
  ),
  after: Type.Optional(ByteOffset('The first matches among the lines from this byte, a line start, instead')),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 5000, default: 500 })),
});

export const FilteredLogLine = Type.Object({
  line: Type.Integer({ minimum: 1, description: '1-based number of the line in the whole file (#L links)' }),
  offset: Type.Integer({ description: 'Byte offset where the line starts' }),
  text: Type.String(),
  level: Type.String({ description: 'debug, info, warning, error or critical' }),
  source: Type.String({ description: 'extractor, loader, mapper, transformer, utility or meltano' }),
  stdio: Nullable(Type.String({ description: 'stdout or stderr; null when the line does not say' })),
});

export const FilteredLog = Type.Object({
  run: Type.Integer({ description: 'runs.id' }),
  lines: Type.Array(FilteredLogLine, { description: 'The matching lines, in file order' }),
  start: Type.Integer({
    description: 'Scanned bytes start here (a line start): pass as `before` for older matches',
  }),
  end: Type.Integer({
    description:
      'Scanned bytes end here (a line start): pass as `after` for newer ones; an unfinished last line waits',
  }),
  complete: Type.Boolean({
    description: 'Nothing is left to scan in that direction (each request reads at most 32 MiB)',
  }),
  scanned: Type.Integer({ description: 'Bytes read by this request' }),
  size: Type.Integer({ description: 'Size of the file when it was read' }),
});
