import { describe, expect, it } from 'vitest';
import { readFailureCause } from '../../src/failure-causes/read-failure-cause.js';
import { LogLineIndex } from '../../src/logs/line-index.js';
import { scratchLogs } from '../logs/fixtures.js';

const logs = scratchLogs();
const TS = '2026-11-21T04:36:48.418458Z';
const tap = (m: string) => `${TS} [info     ] ${m.padEnd(30)} cmd_type=extractor name=tap-x stdio=stderr`;
const filler = (n: number) => Array.from({ length: n }, (_, i) => tap(`INFO Emitted record id=${i}`));

describe('readFailureCause', () => {
  it('reads only the tail and numbers the line in the whole file', async () => {
    const before = filler(20_000); // ~2 MiB
    const file = await logs.logFile(
      [
        ...before,
        tap('Traceback (most recent call last):'),
        tap('  File "x.py", line 1'),
        tap('ValueError: late'),
        '',
      ].join('\n'),
    );
    const found = await readFailureCause(file, { lineIndex: new LogLineIndex() });
    expect(found.cause).toMatchObject({
      message: 'ValueError: late',
      line: before.length + 3,
      kind: 'exception',
    });
    expect(found.scanned).toBeLessThanOrEqual(256 * 1024);
    expect(found.size).toBeGreaterThan(2 * 1024 * 1024);
  });

  it('grows the tail backwards, within its bound, while it holds no cause', async () => {
    const after = filler(5_000); // ~500 KiB of noise after the error
    const file = await logs.logFile([...filler(10), tap('CRITICAL token expired'), ...after].join('\n'));
    const found = await readFailureCause(file, { lineIndex: new LogLineIndex() });
    expect(found.cause).toMatchObject({ message: 'CRITICAL token expired', line: 11, kind: 'error_line' });
    const bounded = await readFailureCause(file, { maxBytes: 300 * 1024 });
    expect(bounded.cause).toBeNull();
    expect(bounded.scanned).toBeLessThanOrEqual(300 * 1024);
  });

  it('an empty log has no cause', async () => {
    expect(await readFailureCause(await logs.logFile(''))).toEqual({ cause: null, size: 0, scanned: 0 });
  });
});
