import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineOutOfRangeError } from '../../src/errors.js';
import { LogLineIndex } from '../../src/logs/line-index.js';
import { readLogChunk } from '../../src/logs/read-log.js';
import { numberChunk, readLogFromLine } from '../../src/logs/read-log-lines.js';
import { tempDir } from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
let file: string;
const lines = Array.from({ length: 50 }, (_, i) => `line ${i + 1} ${'é'.repeat(i % 7)}`);
const text = `${lines.join('\n')}\n`;

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir());
  file = path.join(dir, 'elt.log');
  await writeFile(file, text);
});
afterAll(() => cleanup());

describe('numbered chunks', () => {
  it('reads from the start of a line', async () => {
    const index = new LogLineIndex({ checkpointBytes: 64 });
    const chunk = await readLogFromLine(file, { line: 30, length: 100 }, index);
    expect(chunk.first_line).toBe(30);
    expect(chunk.offset).toBe(Buffer.byteLength(`${lines.slice(0, 29).join('\n')}\n`));
    expect(chunk.text.startsWith(`${lines[29]}\n`)).toBe(true);
    await expect(readLogFromLine(file, { line: 51 }, index)).rejects.toBeInstanceOf(LineOutOfRangeError);
  });

  it('numbers a chunk read backwards from the end', async () => {
    const index = new LogLineIndex({ checkpointBytes: 64 });
    const chunk = await numberChunk(file, await readLogChunk(file, { fromEnd: true, length: 200 }), index);
    const firstText = chunk.text.split('\n')[0];
    expect(lines[(chunk.first_line ?? 0) - 1]).toBe(firstText);
  });
});
