import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { classifyLine, isTraceback, levelOf, meltanoPrefix, NO_KIND } from './line-kind';

function classify(lines: string[]) {
  let previous = NO_KIND;
  return lines.map((line) => {
    previous = classifyLine(line, previous);
    return { level: levelOf(previous), traceback: isTraceback(previous) };
  });
}

describe('classifyLine', () => {
  it("reads the level column of Meltano's format", () => {
    const kinds = classify([
      '2026-11-21T04:39:48.405210Z [error    ] Extraction failed code=1',
      '2026-11-21T04:39:48.405210Z [warning  ] No state was found',
      '2026-11-21T04:39:48.405210Z [debug    ] detail',
      '2026-11-21T04:39:48.405210Z [info     ] fine',
      '2026-11-21T04:39:48.405210Z [critical ] bad',
      'no prefix at all',
    ]);
    expect(kinds.map((k) => k.level)).toEqual(['error', 'warning', 'debug', 'info', 'critical', 'critical']);
  });

  it('finds the timestamp and level column', () => {
    expect(meltanoPrefix('2026-11-21T04:39:48.405210Z [error    ] x')).toEqual({
      timestamp: 27,
      levelStart: 28,
      levelEnd: 39,
    });
    expect(meltanoPrefix('Traceback (most recent call last):')).toBeNull();
  });

  it("follows the real Meltano 3.9 failure log: the tap's traceback and Meltano's own", () => {
    const file = new URL(
      '../../../../../../test-fixtures/real-meltano/v3.9.5/project/.meltano/logs/elt/manual-fail/01a1fc64-438b-7a8f-b559-b1b1b56158d6/elt.log',
      import.meta.url,
    );
    const lines = readFileSync(file, 'utf8').split('\n');
    const kinds = classify(lines);
    const at = (text: string, nth = 0) => {
      const index = lines.flatMap((line, i) => (line.includes(text) ? [i] : []))[nth];
      return index === undefined ? undefined : kinds[index];
    };
    // The tap's traceback, one prefixed line per frame, with other programs' lines in between.
    expect(at('Traceback (most recent call last): cmd_type')?.traceback).toBe(true);
    expect(at('line 42, in <module>')?.traceback).toBe(true);
    expect(at('sync_users(client)')?.traceback).toBe(true);
    expect(at('reading Singer messages from stdin')?.traceback).toBe(false);
    expect(at('line 17, in sync_users')?.traceback).toBe(true);
    expect(at('raise RuntimeError(')?.traceback).toBe(true);
    expect(at("RuntimeError: HTTP 500 from upstream API while paginating 'users' cmd_type")?.traceback).toBe(
      true,
    );
    expect(at('INFO target-demo: wrote 3 records')?.traceback).toBe(false);
    // Meltano's error message over several lines, then its unprefixed traceback.
    expect(at('For more detailed log messages')).toEqual({ level: 'error', traceback: false });
    expect(at('Traceback (most recent call last):', 1)).toEqual({ level: 'error', traceback: true });
    expect(at('await _run_extract_load(log, elt_context, output_logger)')?.traceback).toBe(true);
    expect(at('meltano.core.runner.RunnerError: Extractor failed')?.traceback).toBe(true);
    expect(at('The above exception was the direct cause')?.traceback).toBe(true);
    expect(at('meltano.cli.utils.CliError: ELT could not be completed')?.traceback).toBe(true);
    expect(kinds.at(-2)).toEqual({ level: 'error', traceback: false });
  });
});
