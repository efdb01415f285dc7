import { describe, expect, it } from 'vitest';
import { parseAnsi } from './ansi';
import { markMatches, queryPattern } from './highlight';

const marks = (raw: string, query: string, current: { column: number; length: number } | null = null) =>
  markMatches(parseAnsi(raw), queryPattern(query), current)
    .filter((s) => s.mark)
    .map((s) => [s.text, s.mark]);

describe('markMatches', () => {
  it('marks every case-insensitive match, also across colour changes', () => {
    expect(marks('Error here, ERROR there', 'error')).toEqual([
      ['Error', 'match'],
      ['ERROR', 'match'],
    ]);
    expect(marks('a \x1b[31merr\x1b[0mor b', 'error')).toEqual([
      ['err', 'match'],
      ['or', 'match'],
    ]);
  });

  it('treats the query as plain text', () => {
    expect(marks('a.b axb', 'a.b')).toEqual([['a.b', 'match']]);
  });

  it('marks the current match from raw columns, skipping colour codes', () => {
    // Raw: "x \x1b[31mneedle\x1b[0m needle": the second needle starts at raw column 18.
    const raw = 'x \x1b[31mneedle\x1b[0m needle';
    expect(marks(raw, 'needle', { column: raw.lastIndexOf('needle'), length: 6 })).toEqual([
      ['needle', 'match'],
      ['needle', 'current'],
    ]);
    expect(marks(raw, '', { column: 7, length: 6 })).toEqual([['needle', 'current']]);
  });

  it('leaves lines without matches alone', () => {
    const segments = parseAnsi('nothing');
    expect(markMatches(segments, queryPattern('zzz'), null)).toBe(segments);
    expect(markMatches(segments, null, null)).toBe(segments);
  });
});
