import { open } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { InvalidInputError, RangeNotSatisfiableError } from '../../src/errors.js';
import { LogLineIndex } from '../../src/logs/line-index.js';
import { type LogSearchOptions, searchLog } from '../../src/logs/log-search.js';
import { REAL_MELTANO_DIR, scratchLogs } from './fixtures.js';
import { countBytesRead } from './read-probe.js';

const { logFile, dir: scratchDir } = scratchLogs();

const text = (query: string, direction: LogSearchOptions['direction'], from?: number): LogSearchOptions => ({
  kind: 'text',
  query,
  direction,
  ...(from === undefined ? {} : { from }),
  lineIndex: new LogLineIndex({ checkpointBytes: 16 }),
});

describe('searchLog on small files', () => {
  const content = 'alpha\nbeta NEEDLE one\ngamma\r\né needle two needle\n';
  const b = (s: string) => Buffer.byteLength(s);

  it('finds the next match forward, case-insensitively, with its line and column', async () => {
    const file = await logFile(content);
    const first = await searchLog(file, text('needle', 'forward'));
    expect(first).toEqual({
      from: 0,
      match: { offset: b('alpha\nbeta '), line: 2, line_offset: 6, column: 5, match_length: 6 },
      resume_from: null,
      scanned: b(content),
      size: b(content),
    });
    const second = await searchLog(file, text('NeEdLe', 'forward', (first.match?.offset ?? 0) + 1));
    const line4 = b('alpha\nbeta NEEDLE one\ngamma\r\n');
    expect(second.match).toEqual({
      offset: line4 + b('é '),
      line: 4,
      line_offset: line4,
      column: 2, // UTF-16 units: é is one
      match_length: 6,
    });
    const third = await searchLog(file, text('needle', 'forward', (second.match?.offset ?? 0) + 1));
    expect(third.match).toMatchObject({ offset: line4 + b('é needle two '), line: 4, column: 13 });
    const none = await searchLog(file, text('needle', 'forward', (third.match?.offset ?? 0) + 1));
    expect(none).toMatchObject({ match: null, resume_from: null });
  });

  it('finds the previous match backward, from the end or from a match', async () => {
    const file = await logFile(content);
    const line4 = b('alpha\nbeta NEEDLE one\ngamma\r\n');
    const last = await searchLog(file, text('needle', 'backward'));
    expect(last.match).toMatchObject({ offset: line4 + b('é needle two '), line: 4, column: 13 });
    const before = await searchLog(file, text('needle', 'backward', last.match?.offset));
    expect(before.match).toMatchObject({ offset: line4 + b('é '), line: 4, column: 2 });
    const first = await searchLog(file, text('needle', 'backward', before.match?.offset));
    expect(first.match).toMatchObject({ offset: 11, line: 2, column: 5 });
    expect((await searchLog(file, text('needle', 'backward', 11))).match).toBeNull();
  });

  it('treats the query as plain text, not a pattern, and matches accented letters by case', async () => {
    const file = await logFile('a.b\naxb\n[x] (y)\nÉTÉ\n');
    expect((await searchLog(file, text('a.b', 'forward', 1))).match).toBeNull();
    expect((await searchLog(file, text('[x] (y)', 'forward'))).match).toMatchObject({ line: 3, column: 0 });
    expect((await searchLog(file, text('été', 'forward'))).match).toMatchObject({ line: 4, offset: 16 });
  });

  it('starts inside a multi-byte character at the next character', async () => {
    const file = await logFile('日本 x 日本\n');
    const found = await searchLog(file, text('日本', 'forward', 1));
    expect(found.from).toBe(3);
    expect(found.match).toMatchObject({ offset: Buffer.byteLength('日本 x '), column: 5 });
    // Inside 本 of the second 日本: back to its start, so that 日本 (starting before) is found.
    const back = await searchLog(file, text('日本', 'backward', Buffer.byteLength('日本 x 日') + 1));
    expect(back.from).toBe(Buffer.byteLength('日本 x 日'));
    expect(back.match).toMatchObject({ offset: Buffer.byteLength('日本 x '), column: 5 });
  });

  it('keeps byte offsets exact after invalid UTF-8 on earlier lines', async () => {
    const bytes = Buffer.concat([
      Buffer.from('ok\n'),
      Buffer.from([0xff, 0xfe, 0x0a]),
      Buffer.from('find me\n'),
    ]);
    const file = await logFile(bytes);
    const found = await searchLog(file, text('me', 'forward'));
    expect(found.match).toMatchObject({ offset: 11, line: 3, line_offset: 6, column: 5 });
  });

  it('finds the markers of a failure in a real Meltano 3.9 log', async () => {
    const file = path.join(
      REAL_MELTANO_DIR,
      'v3.9.5/project/.meltano/logs/elt/manual-fail/01a1fc64-438b-7a8f-b559-b1b1b56158d6/elt.log',
    );
    const lineIndex = new LogLineIndex();
    const first = await searchLog(file, { kind: 'errors', direction: 'forward', lineIndex });
    // The tap's own traceback (line 9) comes before Meltano's `[error ]` lines.
    expect(first.match).toMatchObject({ line: 9, column: 40, match_length: 33 });
    const next = await searchLog(file, {
      kind: 'errors',
      direction: 'forward',
      from: (first.match?.offset ?? 0) + 1,
      lineIndex,
    });
    expect(next.match).toMatchObject({ line: 20, column: 28, match_length: 6 });
    const last = await searchLog(file, { kind: 'errors', direction: 'backward', lineIndex });
    expect(last.match?.line).toBeGreaterThan(40);
  });

  it('refuses bad queries and offsets', async () => {
    const file = await logFile('abc\n');
    const bad = (opts: Partial<LogSearchOptions>) =>
      searchLog(file, { kind: 'text', direction: 'forward', ...opts } as LogSearchOptions);
    await expect(bad({ query: '' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(bad({})).rejects.toBeInstanceOf(InvalidInputError);
    await expect(bad({ query: 'x'.repeat(501) })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(bad({ query: 'a\nb' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(bad({ query: 'a', from: -1 })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(bad({ query: 'a', from: 5 })).rejects.toBeInstanceOf(RangeNotSatisfiableError);
    await expect(bad({ kind: 'errors', query: 'a' })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(bad({ query: 'a', maxScanBytes: 0 })).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('searchLog on a large file', () => {
  const MIB = 1024 * 1024;
  const filler = `${'2026-11-21T04:39:52.672773Z [info     ] record'.padEnd(127, '.')}\n`;
  let file: string;
  let needleAt: number;
  let crossingAt: number;
  let size: number;

  beforeAll(async () => {
    // 24 MiB of filler; a match that crosses the 4 MiB block boundary; the needle near the end.
    file = path.join(scratchDir(), 'large.log');
    const handle = await open(file, 'w');
    const block = Buffer.from(filler.repeat(MIB / 128));
    for (let i = 0; i < 3; i += 1) await handle.write(block);
    await handle.write(block.subarray(0, MIB - 3));
    crossingAt = 4 * MIB - 3;
    await handle.write('\nacross é the block\n');
    let written = crossingAt + Buffer.byteLength('\nacross é the block\n');
    while (written < 22 * MIB) {
      await handle.write(block);
      written += block.length;
    }
    needleAt = written + Buffer.byteLength('2026 ');
    await handle.write('2026 Needle in the haystack\n');
    written += Buffer.byteLength('2026 Needle in the haystack\n');
    await handle.write(block);
    size = written + block.length;
    await handle.close();
  });

  it('stops at its byte budget and continues from resume_from until found', async () => {
    const lineIndex = new LogLineIndex();
    let from = 0;
    const calls: { scanned: number; resume: number | null }[] = [];
    let match = null;
    while (match === null) {
      const { result, bytesRead } = await countBytesRead(file, () =>
        searchLog(file, {
          kind: 'text',
          query: 'needle in',
          direction: 'forward',
          from,
          maxScanBytes: 8 * MIB,
          lineIndex,
        }),
      );
      calls.push({ scanned: result.scanned, resume: result.resume_from });
      // The budget plus one block, plus the line index's own reads once a match is found.
      expect(result.scanned).toBeLessThanOrEqual(12 * MIB);
      if (result.match === null) expect(bytesRead).toBeLessThanOrEqual(12 * MIB + 3);
      match = result.match;
      if (match === null) {
        expect(result.resume_from).toBeGreaterThan(from);
        from = result.resume_from ?? 0;
      }
    }
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(match).toMatchObject({ offset: needleAt, column: 5, match_length: 9 });
    const lineStart = needleAt - 5;
    expect(match.line_offset).toBe(lineStart);
    expect(match.line).toBe(await new LogLineIndex().lineAt(file, lineStart));
  });

  it('continues backward the same way', async () => {
    let from: number | undefined;
    let match = null;
    let calls = 0;
    while (match === null) {
      const result = await searchLog(file, {
        kind: 'text',
        query: 'ACROSS é',
        direction: 'backward',
        ...(from === undefined ? {} : { from }),
        maxScanBytes: 8 * MIB,
      });
      calls += 1;
      match = result.match;
      if (match === null) {
        expect(result.resume_from).not.toBeNull();
        from = result.resume_from ?? 0;
      }
    }
    expect(calls).toBeGreaterThanOrEqual(2);
    expect(match).toMatchObject({ offset: crossingAt + 1, line_offset: crossingAt + 1, column: 0 });
  });

  it('finds a match that crosses a block boundary going forward', async () => {
    const result = await searchLog(file, { kind: 'text', query: 'é the block', direction: 'forward' });
    expect(result.match).toMatchObject({ offset: crossingAt + 1 + Buffer.byteLength('across '), column: 7 });
  });

  it('says when a whole file holds no match', async () => {
    let from = 0;
    for (;;) {
      const result = await searchLog(file, { kind: 'errors', direction: 'forward', from });
      expect(result.match).toBeNull();
      if (result.resume_from === null) break;
      from = result.resume_from;
    }
    expect(from).toBeLessThan(size);
  });
});

describe('searchLog in a line longer than a block', () => {
  const MIB = 1024 * 1024;

  it('finds the column from the real line start', async () => {
    const long = `start é ${'x'.repeat(4.5 * MIB)} target end\n`;
    const file = await logFile(`first\n${long}`);
    const result = await searchLog(file, {
      kind: 'text',
      query: 'target',
      direction: 'forward',
      from: 4 * MIB,
    });
    expect(result.match).toMatchObject({ line: 2, line_offset: 6, column: long.indexOf('target') });
    const back = await searchLog(file, { kind: 'text', query: 'START', direction: 'backward' });
    expect(back.match).toMatchObject({ line: 2, line_offset: 6, column: 0, offset: 6 });
  });

  it('gives no column in a line of more than 4 MiB before the match block', async () => {
    const long = `start ${'x'.repeat(9 * MIB)} target end\n`;
    const file = await logFile(`first\n${long}`);
    const result = await searchLog(file, {
      kind: 'text',
      query: 'target',
      direction: 'forward',
      from: 9 * MIB,
    });
    expect(result.match).toMatchObject({
      line: 2,
      line_offset: 6,
      column: null,
      offset: 6 + long.indexOf('target'),
    });
  });
});
