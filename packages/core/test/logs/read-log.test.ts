import { describe, expect, it } from 'vitest';
import { InvalidInputError, RangeNotSatisfiableError } from '../../src/errors.js';
import { readLogChunk, readLogTail } from '../../src/logs/read-log.js';
import { scratchLogs } from './fixtures.js';

const { logFile } = scratchLogs();

const bytes = (text: string) => Buffer.byteLength(text);

describe('readLogChunk forwards', () => {
  it('returns exact bytes, offsets and eof on a small file', async () => {
    const file = await logFile('line one\nline two\nline three\n');
    expect(await readLogChunk(file, { offset: 0, length: 9 })).toEqual({
      offset: 0,
      length: 9,
      size: 29,
      text: 'line one\n',
      eof: false,
    });
    expect(await readLogChunk(file, { offset: 18 })).toEqual({
      offset: 18,
      length: 11,
      size: 29,
      text: 'line three\n',
      eof: true,
    });
    expect(await readLogChunk(file, {})).toMatchObject({ offset: 0, length: 29, eof: true });
    expect(await readLogChunk(file, { offset: 29 })).toEqual({
      offset: 29,
      length: 0,
      size: 29,
      text: '',
      eof: true,
    });
  });

  it('never splits a multi-byte character at either edge', async () => {
    const text = 'aé🚀b'; // a(1) é(2) 🚀(4) b(1) = 8 bytes
    const file = await logFile(text);
    // The length would cut the emoji: stop before it.
    expect(await readLogChunk(file, { offset: 0, length: 5 })).toMatchObject({
      offset: 0,
      length: 3,
      text: 'aé',
    });
    // Offset inside é: start at é.
    expect(await readLogChunk(file, { offset: 2, length: 4 })).toMatchObject({
      offset: 1,
      length: 2,
      text: 'é',
    });
    // Offset inside the emoji: start at the emoji.
    expect(await readLogChunk(file, { offset: 5, length: 16 })).toMatchObject({
      offset: 3,
      length: 5,
      text: '🚀b',
      eof: true,
    });
    // Every way of slicing the file in 4-byte chunks reassembles into the original text.
    let offset = 0;
    let joined = '';
    for (;;) {
      const chunk = await readLogChunk(file, { offset, length: 4 });
      joined += chunk.text;
      offset = chunk.offset + chunk.length;
      if (chunk.eof) break;
    }
    expect(joined).toBe(text);
  });

  it('keeps CRLF and handles a missing trailing newline and an empty file', async () => {
    const crlf = await logFile('a\r\nb\r\nc');
    expect(await readLogChunk(crlf, { offset: 0 })).toMatchObject({
      text: 'a\r\nb\r\nc',
      length: 7,
      eof: true,
    });
    const empty = await logFile('');
    expect(await readLogChunk(empty, {})).toEqual({ offset: 0, length: 0, size: 0, text: '', eof: true });
    expect(await readLogChunk(empty, { fromEnd: true })).toEqual({
      offset: 0,
      length: 0,
      size: 0,
      text: '',
      eof: true,
    });
  });

  it('at EOF holds back a character the writer has only half written, unless nothing else is left', async () => {
    const emoji = Buffer.from('🚀');
    const file = await logFile(Buffer.concat([Buffer.from('ok\n'), emoji.subarray(0, 2)]));
    expect(await readLogChunk(file, { offset: 0 })).toMatchObject({
      offset: 0,
      length: 3,
      text: 'ok\n',
      eof: false,
    });
    expect(await readLogChunk(file, { offset: 3 })).toMatchObject({
      offset: 3,
      length: 2,
      text: '\ufffd',
      eof: true,
    });
  });

  it('rejects offsets beyond the file with 416 and bad numbers with 400', async () => {
    const file = await logFile('12345');
    const beyond = readLogChunk(file, { offset: 6 });
    await expect(beyond).rejects.toBeInstanceOf(RangeNotSatisfiableError);
    await expect(beyond).rejects.toMatchObject({ status: 416, details: { size: 5 } });
    await expect(readLogChunk(file, { end: 6 })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
    for (const opts of [
      { offset: -1 },
      { offset: Number.NaN },
      { offset: 1.5 },
      { length: -1 },
      { offset: 0, end: 1 },
    ]) {
      await expect(readLogChunk(file, opts)).rejects.toBeInstanceOf(InvalidInputError);
    }
  });

  it('caps length at 4 MiB', async () => {
    const file = await logFile(Buffer.alloc(5 * 1024 * 1024, 'x'));
    const chunk = await readLogChunk(file, { offset: 0, length: 64 * 1024 * 1024 });
    expect(chunk.length).toBe(4 * 1024 * 1024);
    expect(chunk.text.length).toBe(4 * 1024 * 1024);
  });
});

describe('readLogChunk backwards', () => {
  const lines = ['first line', 'second line é', 'third 🚀 line', 'fourth'];
  const content = `${lines.join('\n')}\n`;

  it('ends at EOF and starts at a line start, dropping the partial first line', async () => {
    const file = await logFile(content);
    const size = bytes(content);
    // 20 bytes back from EOF lands inside "third 🚀 line"; the chunk starts at "fourth".
    expect(await readLogChunk(file, { fromEnd: true, length: 20 })).toEqual({
      offset: size - bytes('fourth\n'),
      length: bytes('fourth\n'),
      size,
      text: 'fourth\n',
      eof: true,
    });
    // A window reaching the start of the file keeps the first line.
    expect(await readLogChunk(file, { fromEnd: true, length: 1000 })).toMatchObject({
      offset: 0,
      text: content,
    });
    // A window that starts exactly at a line start keeps that line.
    const fromThird = bytes('third 🚀 line\nfourth\n');
    expect(await readLogChunk(file, { fromEnd: true, length: fromThird })).toMatchObject({
      offset: size - fromThird,
      text: 'third 🚀 line\nfourth\n',
    });
  });

  it('pages up with `end` until the start, covering every byte exactly once', async () => {
    const file = await logFile(content);
    let end = bytes(content);
    const pages: string[] = [];
    while (end > 0) {
      const chunk = await readLogChunk(file, { end, length: 16 });
      expect(chunk.offset + chunk.length).toBe(end);
      expect(chunk.length).toBeGreaterThan(0);
      pages.unshift(chunk.text);
      end = chunk.offset;
    }
    expect(pages.join('')).toBe(content);
    // Pages start at line starts whenever the window held one.
    expect(pages).toEqual(['first line\n', 'second line é\n', 'third 🚀 line\n', 'fourth\n']);
  });

  it('splits a line longer than the window at character boundaries instead of stalling', async () => {
    const long = `${'é'.repeat(20)}\n`; // 41 bytes, no line start inside a 10-byte window
    const file = await logFile(long);
    let end = bytes(long);
    const pages: string[] = [];
    while (end > 0) {
      const chunk = await readLogChunk(file, { end, length: 10 });
      expect(chunk.length).toBeGreaterThan(0);
      expect(chunk.text).not.toContain('\ufffd');
      pages.unshift(chunk.text);
      end = chunk.offset;
    }
    expect(pages.join('')).toBe(long);
  });

  it('moves an `end` inside a character back to its start', async () => {
    const file = await logFile('ab🚀cd\n');
    expect(await readLogChunk(file, { end: 4, length: 10 })).toMatchObject({
      offset: 0,
      length: 2,
      text: 'ab',
    });
  });
});

describe('readLogTail', () => {
  it('returns the last N lines with the trailing newline ending the last line', async () => {
    const file = await logFile('l1\nl2\nl3\nl4\n');
    expect(await readLogTail(file, { lines: 2 })).toEqual({
      offset: 6,
      length: 6,
      size: 12,
      text: 'l3\nl4\n',
      eof: true,
      lines: 2,
    });
    expect(await readLogTail(file, { lines: 10 })).toMatchObject({
      offset: 0,
      text: 'l1\nl2\nl3\nl4\n',
      lines: 4,
    });
  });

  it('handles no trailing newline, CRLF, blank lines, multi-byte text and an empty file', async () => {
    expect(await readLogTail(await logFile('l1\nl2\nl3'), { lines: 2 })).toMatchObject({
      text: 'l2\nl3',
      lines: 2,
    });
    expect(await readLogTail(await logFile('a\r\nb\r\nc\r\n'), { lines: 2 })).toMatchObject({
      text: 'b\r\nc\r\n',
      lines: 2,
    });
    expect(await readLogTail(await logFile('a\n\n\nb\n'), { lines: 3 })).toMatchObject({
      text: '\n\nb\n',
      lines: 3,
    });
    expect(await readLogTail(await logFile('x\né🚀\nÿ\n'), { lines: 2 })).toMatchObject({
      offset: 2,
      text: 'é🚀\nÿ\n',
      lines: 2,
    });
    expect(await readLogTail(await logFile(''), { lines: 5 })).toEqual({
      offset: 0,
      length: 0,
      size: 0,
      text: '',
      eof: true,
      lines: 0,
    });
    expect(await readLogTail(await logFile('\n'), { lines: 5 })).toMatchObject({ text: '\n', lines: 1 });
  });

  it('finds lines across 64 KiB block edges', async () => {
    const all = Array.from({ length: 5000 }, (_, i) => `2026-11-21T04:39:52.${i}Z [info     ] line ${i} é`);
    const file = await logFile(`${all.join('\n')}\n`);
    const tail = await readLogTail(file, { lines: 3000 });
    expect(tail.lines).toBe(3000);
    expect(tail.text).toBe(`${all.slice(-3000).join('\n')}\n`);
  });

  it('stops at maxBytes at a line start', async () => {
    const file = await logFile('aaaa\nbbbb\ncccc\ndddd\n');
    expect(await readLogTail(file, { lines: 4, maxBytes: 12 })).toMatchObject({
      offset: 10,
      text: 'cccc\ndddd\n',
      lines: 2,
    });
    // One giant line: cut at a character boundary within maxBytes.
    const giant = await logFile(`${'é'.repeat(10)}\n`);
    expect(await readLogTail(giant, { lines: 1, maxBytes: 8 })).toMatchObject({ text: 'ééé\n', lines: 1 });
  });

  it('rejects line counts outside 1..100000', async () => {
    const file = await logFile('x\n');
    for (const lines of [0, -1, 100_001, 1.5, Number.NaN]) {
      await expect(readLogTail(file, { lines })).rejects.toBeInstanceOf(InvalidInputError);
    }
  });
});
