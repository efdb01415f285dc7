import { describe, expect, it } from 'vitest';
import { isTraceback, levelOf } from './line-kind';
import { LogBuffer, overflow, utf8Length } from './log-buffer';

const chunk = (text: string, offset: number, first_line: number | null) => ({
  text,
  offset,
  length: utf8Length(text),
  first_line,
});

describe('LogBuffer', () => {
  it('splits a chunk into numbered lines and hides the empty entry after a final newline', () => {
    const buffer = LogBuffer.from(chunk('one\ntwo\n', 100, 41));
    expect(buffer.lines).toEqual(['one', 'two', '']);
    expect(buffer.count).toBe(2);
    expect(buffer.lastLine).toBe(42);
    expect(buffer.endOffset).toBe(108);
    expect(buffer.hasLine(42)).toBe(true);
    expect(buffer.hasLine(43)).toBe(false);
  });

  it('continues the last line when appended text does not start with a newline', () => {
    const buffer = LogBuffer.from(chunk('one\ntw', 0, 1));
    expect(buffer.count).toBe(2);
    buffer.append('o\nthr', 10);
    expect(buffer.lines).toEqual(['one', 'two', 'thr']);
    buffer.append('ee\n', 13);
    expect(buffer.lines).toEqual(['one', 'two', 'three', '']);
    expect(buffer.count).toBe(3);
    expect(buffer.endOffset).toBe(13);
  });

  it('finishes its first line with an older page that ends mid-line', () => {
    const buffer = LogBuffer.from(chunk('lo world\nnext\n', 6, 2));
    buffer.prepend('first\nhel', 0, 1);
    expect(buffer.lines).toEqual(['first', 'hello world', 'next', '']);
    expect(buffer.firstLine).toBe(1);
    expect(buffer.startOffset).toBe(0);
  });

  it('re-reads the level of lines whose context arrives with an older page', () => {
    const buffer = LogBuffer.from(chunk('    raise ValueError("bad")\nValueError: bad\nafter\n', 50, 4));
    expect(isTraceback(buffer.kinds[0] ?? 0)).toBe(false);
    buffer.prepend(
      '2026-11-21T04:39:48.405210Z [error    ] failed\nTraceback (most recent call last):\n  File "x.py", line 1\n',
      0,
      1,
    );
    expect(buffer.kinds.slice(0, 6).map((k) => [levelOf(k), isTraceback(k)])).toEqual([
      ['error', false],
      ['error', true],
      ['error', true],
      ['error', true],
      ['error', true],
      ['error', false],
    ]);
  });

  it('keeps its byte offsets right when lines are dropped at either end', () => {
    const text = 'é1\nline two\n日本\nlast';
    const buffer = LogBuffer.from(chunk(text, 1000, 10));
    buffer.dropStart(1);
    expect(buffer.startOffset).toBe(1000 + utf8Length('é1\n'));
    expect(buffer.firstLine).toBe(11);
    expect(buffer.lines[0]).toBe('line two');
    buffer.dropEnd(2);
    expect(buffer.lines).toEqual(['line two', '']);
    expect(buffer.endOffset).toBe(1000 + utf8Length('é1\nline two\n'));
    expect(buffer.chars).toBe('line two\n'.length);
  });

  it('holds unnumbered lines until the server has counted them, then numbers them all', () => {
    const buffer = LogBuffer.from(chunk('c\nd\ne\n', 500, null));
    expect(buffer.firstLine).toBeNull();
    expect(buffer.lastLine).toBeNull();
    expect(buffer.lineAt(1)).toBeNull();
    expect(buffer.hasLine(1)).toBe(false);
    const seq = buffer.firstSeq; // the line asked about: 'c', at byte 500
    buffer.prepend('a\nb\n', 496, null); // an older page, before the numbers came
    buffer.append('f\n', 510);
    expect(buffer.lastSeq - buffer.firstSeq).toBe(5);
    buffer.numberAt(seq, 1_000_003);
    expect(buffer.firstLine).toBe(1_000_001);
    expect(buffer.lastLine).toBe(1_000_006);
    expect(buffer.lineAt(2)).toBe(1_000_003);
    buffer.dropStart(2);
    expect(buffer.firstLine).toBe(1_000_003);
    expect(buffer.lines[0]).toBe('c');
    // A numbered older page then carries the numbering on; an unnumbered one keeps it.
    buffer.prepend('b\n', 498, null);
    expect(buffer.firstLine).toBe(1_000_002);
  });

  it('counts UTF-8 bytes like the server', () => {
    expect(utf8Length('aé日😀')).toBe(1 + 2 + 3 + 4);
  });
});

describe('overflow', () => {
  it('says how many lines to drop to get under 90% of either limit', () => {
    const buffer = LogBuffer.from(chunk(`${'x'.repeat(9)}\n`.repeat(100), 0, 1));
    expect(overflow(buffer, 100, 10_000, true)).toBe(0);
    expect(overflow(buffer, 50, 10_000, true)).toBe(55);
    expect(overflow(buffer, 1000, 500, false)).toBe(55);
  });
});
