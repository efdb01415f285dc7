import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidInputError, RangeNotSatisfiableError } from '../errors.js';
import { LogLineIndex } from './line-index.js';
import { type FilteredLogLine, filterLog, type LogLineFilter } from './log-filter.js';
import { LogLineClassifier, pluginSources } from './meltano-log-line.js';

const REAL = new URL('../../../../test-fixtures/real-meltano/', import.meta.url);
const v3 = readFileSync(
  new URL('v3.9.5/project/.meltano/logs/elt/failing-demo/01a1fc64-830a-7eb2-802c-09796b82fbc3/elt.log', REAL),
  'utf8',
);
const plugins = pluginSources([
  { type: 'extractors', name: 'tap-demo-fail' },
  { type: 'loaders', name: 'target-demo' },
]);

function fileOf(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'log-filter-')), 'elt.log');
  writeFileSync(path, text);
  return path;
}

/** What a filter should give: every line of the file classified in order, from line 1. */
function expected(text: string, keep: (l: FilteredLogLine) => boolean): number[] {
  const classifier = new LogLineClassifier(plugins);
  const lines = text.split('\n').slice(0, -1);
  return lines
    .map((t, i) => ({ line: i + 1, ...classifier.next(t) }))
    .filter((l) => keep({ ...l, offset: 0, text: '' }))
    .map((l) => l.line);
}

// The real failing run 40 times over (~230 KiB): blocks of 4 KiB cut lines and tracebacks.
const big = v3.repeat(40);
const opts = { plugins, blockBytes: 4096, lineIndex: new LogLineIndex({ checkpointBytes: 8192 }) };

describe('filterLog', () => {
  const cases: [string, LogLineFilter, (l: FilteredLogLine) => boolean][] = [
    ['errors', { levels: ['error', 'critical'] }, (l) => l.level === 'error' || l.level === 'critical'],
    ['the loader', { sources: ['loader'] }, (l) => l.source === 'loader'],
    [
      'stderr of the extractor',
      { sources: ['extractor'], stdios: ['stderr'] },
      (l) => l.source === 'extractor' && l.stdio === 'stderr',
    ],
    [
      "Meltano's warnings",
      { sources: ['meltano'], levels: ['warning'] },
      (l) => l.source === 'meltano' && l.level === 'warning',
    ],
  ];

  it.each(cases)(
    'pages backward from the end through %s, with the line numbers of the whole file',
    async (_, filter, keep) => {
      const path = fileOf(big);
      const want = expected(big, keep);
      expect(want.length).toBeGreaterThan(30);
      let got: FilteredLogLine[] = [];
      let before: number | undefined;
      for (let page = 0; page < 1000; page += 1) {
        const result = await filterLog(path, {
          ...opts,
          filter,
          limit: 7,
          maxScanBytes: 10_000,
          ...(before === undefined ? {} : { before }),
        });
        got = result.lines.concat(got);
        if (result.complete) break;
        before = result.start;
      }
      expect(got.map((l) => l.line)).toEqual(want);
      // The text is the line itself, at its offset.
      const sample = got[3];
      expect(big.split('\n')[(sample?.line ?? 0) - 1]).toBe(sample?.text);
      expect(
        Buffer.from(big)
          .subarray(sample?.offset ?? 0)
          .toString('utf8')
          .startsWith(sample?.text ?? ''),
      ).toBe(true);
    },
  );

  it.each(cases)('pages forward from the start through %s', async (_, filter, keep) => {
    const path = fileOf(big);
    let got: FilteredLogLine[] = [];
    let after = 0;
    for (let page = 0; page < 1000; page += 1) {
      const result = await filterLog(path, { ...opts, filter, limit: 5, maxScanBytes: 9000, after });
      got = got.concat(result.lines);
      after = result.end;
      if (result.complete) break;
    }
    expect(got.map((l) => l.line)).toEqual(expected(big, keep));
  });

  it('finds the tap traceback of the real failing run, with no filter keeping every line', async () => {
    const path = fileOf(v3);
    const errors = await filterLog(path, { plugins, filter: { levels: ['error'], sources: ['extractor'] } });
    expect(errors.lines.map((l) => l.line)).toEqual([9, 10, 11, 12, 13, 14]);
    expect(errors.lines.at(-1)?.text).toContain('RuntimeError: HTTP 500');
    const all = await filterLog(path, { plugins, filter: {} });
    expect(all.lines).toHaveLength(v3.split('\n').length - 1);
    expect(all).toMatchObject({ start: 0, end: Buffer.byteLength(v3), complete: true });
  });

  it('leaves an unfinished last line for later (backward and forward)', async () => {
    const path = fileOf(`${v3}2026-11-21T04:36:49.000000Z [error    ] half a li`);
    const back = await filterLog(path, { plugins, filter: { sources: ['meltano'], levels: ['error'] } });
    expect(back.end).toBe(Buffer.byteLength(v3));
    expect(back.lines.at(-1)?.text).not.toContain('half a li');
    const forward = await filterLog(path, { plugins, filter: {}, after: back.end });
    expect(forward).toMatchObject({ lines: [], end: back.end, complete: true });
  });

  it('refuses bad input', async () => {
    const path = fileOf(v3);
    await expect(filterLog(path, { plugins, filter: {}, before: 10_000_000 })).rejects.toBeInstanceOf(
      RangeNotSatisfiableError,
    );
    await expect(filterLog(path, { plugins, filter: {}, limit: 0 })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    await expect(filterLog(path, { plugins, filter: {}, before: 1, after: 1 })).rejects.toBeInstanceOf(
      InvalidInputError,
    );
  });
});
