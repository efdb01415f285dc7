import { appendFile, open, rename, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, LineOutOfRangeError, RangeNotSatisfiableError } from '../../src/errors.js';
import { LogLineIndex } from '../../src/logs/line-index.js';
import { scratchLogs } from './fixtures.js';
import { countBytesRead } from './read-probe.js';

const { logFile, dir: scratchDir } = scratchLogs();

/** What the index must agree with: counting from the start every time. */
function naiveLineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i += 1) if (bytes[i] === 0x0a) line += 1;
  return line;
}

function naiveLineStarts(bytes: Buffer): number[] {
  const starts = bytes.length > 0 ? [0] : [];
  for (let i = 0; i < bytes.length - 1; i += 1) if (bytes[i] === 0x0a) starts.push(i + 1);
  return starts;
}

async function expectLineOutOfRange(promise: Promise<unknown>, lines: number) {
  const err = await promise.catch((e: unknown) => e);
  expect(err).toBeInstanceOf(LineOutOfRangeError);
  expect((err as LineOutOfRangeError).details).toMatchObject({ lines });
  expect((err as LineOutOfRangeError).status).toBe(416);
}

describe('LogLineIndex on small files', () => {
  it('numbers the line of every byte and finds where each line starts', async () => {
    const file = await logFile('a\nbb\nccc');
    const index = new LogLineIndex({ checkpointBytes: 4 });
    expect(await index.lineAt(file, 0)).toBe(1);
    expect(await index.lineAt(file, 1)).toBe(1); // the newline belongs to the line it ends
    expect(await index.lineAt(file, 2)).toBe(2);
    expect(await index.lineAt(file, 4)).toBe(2);
    expect(await index.lineAt(file, 5)).toBe(3);
    expect(await index.lineAt(file, 8)).toBe(3); // the size: where the unfinished last line goes on
    expect(await index.lineStart(file, 1)).toBe(0);
    expect(await index.lineStart(file, 2)).toBe(2);
    expect(await index.lineStart(file, 3)).toBe(5);
    await expectLineOutOfRange(index.lineStart(file, 4), 3);
    await expect(index.lineAt(file, 9)).rejects.toBeInstanceOf(RangeNotSatisfiableError);
  });

  it('does not count the empty line after a final newline as a line', async () => {
    const file = await logFile('a\nbb\n');
    const index = new LogLineIndex({ checkpointBytes: 2 });
    expect(await index.lineStart(file, 2)).toBe(2);
    await expectLineOutOfRange(index.lineStart(file, 3), 2);
    expect(await index.lineAt(file, 5)).toBe(3);
    const empty = await logFile('');
    expect(await index.lineStart(empty, 1)).toBe(0);
    await expectLineOutOfRange(index.lineStart(empty, 2), 0);
  });

  it('handles CRLF endings and multi-byte UTF-8 by bytes', async () => {
    const text = 'a\r\nb\r\né\n日本\n😀x\n';
    const bytes = Buffer.from(text);
    const file = await logFile(bytes);
    const index = new LogLineIndex({ checkpointBytes: 3 });
    expect(await index.lineStart(file, 2)).toBe(3);
    expect(await index.lineStart(file, 3)).toBe(6);
    expect(await index.lineStart(file, 4)).toBe(9); // after é (2 bytes) and \n
    expect(await index.lineStart(file, 5)).toBe(16); // after 日本 (6 bytes) and \n
    expect(await index.lineAt(file, 17)).toBe(5); // inside the emoji
    expect(await index.lineAt(file, 4)).toBe(2);
  });

  it('agrees with counting from the start on random text, for any checkpoint size', async () => {
    const pieces = ['x', 'yy', 'é', '日', '😀', '\n', '\n', '\r\n', ' '];
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    let text = '';
    for (let i = 0; i < 3000; i += 1) text += pieces[random() % pieces.length];
    const bytes = Buffer.from(text);
    const file = await logFile(bytes);
    const starts = naiveLineStarts(bytes);
    for (const checkpointBytes of [1, 7, 64, 1000, 1 << 20]) {
      const index = new LogLineIndex({ checkpointBytes });
      for (let offset = 0; offset <= bytes.length; offset += 1 + (random() % 13)) {
        expect(await index.lineAt(file, offset)).toBe(naiveLineAt(bytes, offset));
      }
      for (let line = 1; line <= starts.length; line += 1 + (random() % 5)) {
        expect(await index.lineStart(file, line)).toBe(starts[line - 1]);
      }
      await expectLineOutOfRange(index.lineStart(file, starts.length + 1), starts.length);
    }
  });

  it('refuses offsets and line numbers that are not integers', async () => {
    const file = await logFile('a\n');
    const index = new LogLineIndex();
    await expect(index.lineAt(file, -1)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(index.lineAt(file, 1.5)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(index.lineStart(file, 0)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(index.lineStart(file, Number.NaN)).rejects.toBeInstanceOf(InvalidInputError);
  });
});

describe('LogLineIndex on files that change', () => {
  const line = (n: number) => `2026-11-21T04:39:52.672773Z [info     ] line ${String(n).padStart(6, '0')}\n`;
  const lines = (from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, i) => line(from + i)).join('');

  it('extends its checkpoints when the file grows, reading only the new bytes', async () => {
    const file = await logFile(lines(1, 1000));
    const index = new LogLineIndex({ checkpointBytes: 1024 });
    const size = Buffer.byteLength(lines(1, 1000));
    expect(await index.lineAt(file, size)).toBe(1001);
    await appendFile(file, lines(1001, 2000));
    const grown = Buffer.byteLength(lines(1, 2000));
    const { result, bytesRead } = await countBytesRead(file, () => index.lineAt(file, grown));
    expect(result).toBe(2001);
    // The appended bytes, a fingerprint of 64 bytes per check, and less than one checkpoint.
    expect(bytesRead).toBeLessThanOrEqual(grown - size + 2 * 64 + 1024 + 1024);
    expect(await index.lineStart(file, 1500)).toBe(Buffer.byteLength(lines(1, 1499)));
  });

  it('starts over when the file is truncated and written again', async () => {
    const file = await logFile(lines(1, 1000));
    const index = new LogLineIndex({ checkpointBytes: 1024 });
    expect(await index.lineStart(file, 900)).toBe(Buffer.byteLength(lines(1, 899)));
    await truncate(file, 0);
    await writeFile(file, `short\n${'x'.repeat(5000)}\n${lines(2, 10)}`);
    const bytes = Buffer.from(`short\n${'x'.repeat(5000)}\n${lines(2, 10)}`);
    expect(await index.lineStart(file, 3)).toBe(naiveLineStarts(bytes)[2]);
    expect(await index.lineAt(file, bytes.length)).toBe(12);
  });

  it('starts over when the file is rewritten in place to a larger size', async () => {
    const file = await logFile(lines(1, 100));
    const index = new LogLineIndex({ checkpointBytes: 512 });
    expect(await index.lineAt(file, Buffer.byteLength(lines(1, 100)))).toBe(101);
    // Same inode, longer content with different line lengths: the checkpoints no longer hold.
    const handle = await open(file, 'r+');
    const rewritten = Buffer.from(lines(1, 400).replaceAll('line', 'l'));
    await handle.write(rewritten, 0, rewritten.length, 0);
    await handle.close();
    expect(await index.lineAt(file, rewritten.length)).toBe(401);
    expect(await index.lineStart(file, 300)).toBe(naiveLineStarts(rewritten)[299]);
  });

  it('starts over when another file takes its name (new inode)', async () => {
    const file = await logFile(lines(1, 300));
    const index = new LogLineIndex({ checkpointBytes: 256 });
    expect(await index.lineStart(file, 300)).toBe(Buffer.byteLength(lines(1, 299)));
    const other = path.join(scratchDir(), 'replacement.log');
    const content = `${'a'.repeat(3000)}\n${lines(1, 300)}`;
    await writeFile(other, content);
    await rename(other, file);
    expect(await index.lineStart(file, 300)).toBe(naiveLineStarts(Buffer.from(content))[299]);
  });
});

describe('LogLineIndex on a large file', () => {
  it('reads at most about one checkpoint per lookup once built', async () => {
    const lineText = `${'2026-11-21T04:39:52.672773Z [info     ] record'.padEnd(99, '.')}\n`;
    const block = Buffer.from(lineText.repeat(10_000)); // 1,000,000 bytes
    const file = await logFile('');
    const handle = await open(file, 'w');
    for (let i = 0; i < 40; i += 1) await handle.write(block);
    await handle.close();
    const size = 40 * block.length;
    const index = new LogLineIndex({ checkpointBytes: 1024 * 1024 });
    const first = await countBytesRead(file, () => index.lineAt(file, size));
    expect(first.result).toBe(400_001);
    expect(first.bytesRead).toBeGreaterThanOrEqual(size);
    for (const offset of [0, 12_345_678, size - 1]) {
      const later = await countBytesRead(file, () => index.lineAt(file, offset));
      expect(later.result).toBe(Math.floor(offset / 100) + 1);
      expect(later.bytesRead).toBeLessThanOrEqual(1024 * 1024 + 64);
    }
    const start = await countBytesRead(file, () => index.lineStart(file, 250_000));
    expect(start.result).toBe(249_999 * 100);
    expect(start.bytesRead).toBeLessThanOrEqual(1024 * 1024 + 64);
  });
});

describe('LogLineIndex.lineAtIfIndexed', () => {
  const lineText = `${'2026-11-21T04:39:52.672773Z [info     ] record'.padEnd(99, '.')}\n`;
  const block = Buffer.from(lineText.repeat(10_000)); // 1,000,000 bytes, 10,000 lines of 100 bytes

  async function bigLog(megabytes: number): Promise<string> {
    const file = await logFile('');
    const handle = await open(file, 'w');
    for (let i = 0; i < megabytes; i += 1) await handle.write(block);
    await handle.close();
    return file;
  }

  it('answers null at once near the end of a large unindexed file, then numbers it once indexed', async () => {
    const file = await bigLog(40);
    const size = 40 * block.length;
    const index = new LogLineIndex({ checkpointBytes: 1024 * 1024, immediateBytes: 2 * 1024 * 1024 });
    const handle = await open(file, 'r');
    const first = await countBytesRead(file, () => index.lineAtIfIndexed(handle, size - 100));
    // The caller may close its handle at once: the background reads through its own descriptor.
    await handle.close();
    expect(first.result).toBeNull();
    expect(first.bytesRead).toBeLessThan(1024 * 1024);
    await index.backgroundIdle();
    const later = await countBytesRead(file, () => index.lineAtIfIndexed(file, size - 100));
    expect(later.result).toBe(400_000);
    expect(later.bytesRead).toBeLessThanOrEqual(1024 * 1024 + 64);
    expect(await index.lineAt(file, 12_345_600)).toBe(123_457);
  });

  it('starts the background count only after backgroundDelayMs, so the request that asked answers first', async () => {
    const file = await bigLog(12);
    const index = new LogLineIndex({
      checkpointBytes: 1024 * 1024,
      immediateBytes: 1024 * 1024,
      backgroundDelayMs: 300,
    });
    expect(await index.lineAtIfIndexed(file, 11_000_000)).toBeNull();
    const meanwhile = await countBytesRead(file, () => new Promise((resolve) => setTimeout(resolve, 100)));
    expect(meanwhile.bytesRead).toBe(0);
    await index.backgroundIdle();
    expect(await index.lineAtIfIndexed(file, 11_000_000)).toBe(110_001);
  });

  it('counts now when only a little is not indexed yet', async () => {
    const file = await bigLog(3);
    const index = new LogLineIndex({ checkpointBytes: 1024 * 1024, immediateBytes: 2 * 1024 * 1024 });
    expect(await index.lineAtIfIndexed(file, 1_500_000)).toBe(15_001);
    expect(await index.lineAtIfIndexed(file, 3_000_000)).toBe(30_001);
  });

  it('indexes one file at a time and copes with a file truncated while it is indexed', async () => {
    const a = await bigLog(12);
    const b = await bigLog(12);
    const index = new LogLineIndex({ checkpointBytes: 1024 * 1024, immediateBytes: 1024 * 1024 });
    expect(await index.lineAtIfIndexed(a, 11_000_000)).toBeNull();
    expect(await index.lineAtIfIndexed(b, 11_000_000)).toBeNull();
    // Asking again while it runs starts nothing new and still answers at once.
    expect(await index.lineAtIfIndexed(b, 11_000_000)).toBeNull();
    await truncate(a, 500_000);
    await index.backgroundIdle();
    expect(await index.lineAtIfIndexed(b, 11_000_000)).toBe(110_001);
    expect(await index.lineAtIfIndexed(a, 400_000)).toBe(4_001);
  });
});
