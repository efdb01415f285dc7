import { open } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLogChunk, readLogTail, TAIL_BLOCK } from '../../src/logs/read-log.js';
import { tempDir } from './fixtures.js';
import { countBytesRead } from './read-probe.js';

const MIB = 1024 * 1024;
const LINE_BYTES = 128;
const LAST_LINE = '2026-11-21T04:45:56.816088Z [info     ] the very last line é';

let dir: string;
let cleanup: () => Promise<void>;
let file: string;
let size: number;

/** One MiB of fixed-width log lines, each `LINE_BYTES` long including its newline. */
function oneMiBOfLines(): Buffer {
  const line = `2026-11-21T04:39:52.672773Z [info     ] tap-demo INFO Emitted record id=42 `.padEnd(
    LINE_BYTES - 1,
    '.',
  );
  return Buffer.from(`${line}\n`.repeat(MIB / LINE_BYTES));
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  file = path.join(dir, 'big-elt.log');
  const handle = await open(file, 'w');
  try {
    const block = oneMiBOfLines();
    for (let i = 0; i < 200; i += 1) await handle.write(block);
    await handle.write(`${LAST_LINE}\n`);
  } finally {
    await handle.close();
  }
  size = 200 * MIB + Buffer.byteLength(`${LAST_LINE}\n`);
});
afterAll(() => cleanup());

describe('reading a 200 MiB log', () => {
  it('tails 1000 lines reading only about the bytes returned', async () => {
    const { result, bytesRead } = await countBytesRead(file, () => readLogTail(file, { lines: 1000 }));
    expect(result.size).toBe(size);
    expect(result.lines).toBe(1000);
    expect(result.text.endsWith(`\n${LAST_LINE}\n`)).toBe(true);
    expect(result.text.startsWith('2026-11-21T04:39:52.672773Z [info     ]')).toBe(true);
    expect(result.length).toBe(999 * LINE_BYTES + Buffer.byteLength(`${LAST_LINE}\n`));
    expect(result.offset + result.length).toBe(size);
    // What was returned plus at most one block of look-back.
    expect(bytesRead).toBeGreaterThanOrEqual(result.length);
    expect(bytesRead).toBeLessThanOrEqual(result.length + TAIL_BLOCK);
  });

  it('reads a chunk in the middle and at the end with one window each', async () => {
    const middle = await countBytesRead(file, () =>
      readLogChunk(file, { offset: 100 * MIB + 5, length: 256 * 1024 }),
    );
    expect(middle.result).toMatchObject({ offset: 100 * MIB + 5, length: 256 * 1024, eof: false });
    expect(middle.bytesRead).toBeLessThanOrEqual(256 * 1024 + 3);

    const end = await countBytesRead(file, () => readLogChunk(file, { fromEnd: true, length: 1000 }));
    expect(end.result.eof).toBe(true);
    expect(end.result.text.endsWith(`${LAST_LINE}\n`)).toBe(true);
    expect(end.bytesRead).toBeLessThanOrEqual(1001);
  });
});
