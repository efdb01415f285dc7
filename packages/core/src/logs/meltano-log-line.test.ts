import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LogLineClassifier, parseLogLine, pluginSources } from './meltano-log-line.js';

const REAL = new URL('../../../../test-fixtures/real-meltano/', import.meta.url);
const readLog = (path: string) => readFileSync(new URL(path, REAL), 'utf8').split('\n').slice(0, -1);
const plugins = pluginSources([
  { type: 'extractors', name: 'tap-demo' },
  { type: 'extractors', name: 'tap-demo-fail' },
  { type: 'loaders', name: 'target-demo' },
  { type: 'mappers', name: 'map-x' },
]);

describe('parseLogLine over real Meltano lines', () => {
  const v3 = readLog(
    'v3.9.5/project/.meltano/logs/elt/failing-demo/01a1fc64-830a-7eb2-802c-09796b82fbc3/elt.log',
  );
  const v4 = readLog('v4.2.2/user-log-dir/elt/failing-demo/01a1fc67-8eac-70bf-aa31-e6bbc91eafbd/elt.log');

  it('reads v3 plugin lines from their cmd_type/name/stdio context', () => {
    expect(parseLogLine(v3[4] ?? '', new Map())).toEqual({
      level: 'info',
      source: 'extractor',
      name: 'tap-demo-fail',
      stdio: 'stderr',
    });
    expect(parseLogLine(v3[14] ?? '', new Map())).toMatchObject({ source: 'loader', name: 'target-demo' });
  });

  it("takes Meltano's own lines, with or without name=meltano, at Meltano's level", () => {
    expect(parseLogLine(v3[0] ?? '', plugins)).toEqual({
      level: 'info',
      source: 'meltano',
      name: 'meltano',
      stdio: null,
    });
    expect(parseLogLine(v3[2] ?? '', plugins)).toMatchObject({ level: 'warning', source: 'meltano' });
    // `Extraction failed code=1 message="RuntimeError: …" name=meltano …`
    expect(parseLogLine(v3[19] ?? '', plugins)).toMatchObject({ level: 'error', source: 'meltano' });
  });

  it('reads v4 lines from the logger-name column and the project plugins', () => {
    expect(parseLogLine(v4[0] ?? '', plugins)).toMatchObject({ source: 'meltano', level: 'info' });
    expect(parseLogLine(v4[4] ?? '', plugins)).toEqual({
      level: 'info',
      source: 'extractor',
      name: 'tap-demo-fail',
      stdio: null,
    });
    expect(parseLogLine(v4[14] ?? '', plugins)).toMatchObject({ source: 'loader', name: 'target-demo' });
    // Not a project plugin: Meltano's own line whose message happens to start with a word.
    expect(parseLogLine(v4[4] ?? '', new Map())).toMatchObject({ source: 'meltano' });
  });

  it('tells meltano run blocks apart by producer/consumer (cmd_type=elb)', () => {
    const line = readLog(
      'v3.9.5/project/.meltano/logs/elt/devtap-demo-to-target-demo/01a1fc64-4d97-7a11-a76c-ee7563aa2aaf/elt.log',
    ).find((l) => l.includes('cmd_type=elb') && l.includes('producer=True'));
    expect(parseLogLine(line ?? '', new Map())).toMatchObject({ source: 'extractor', name: 'tap-demo' });
    const loader = (line ?? '')
      .replace('consumer=False', 'consumer=True')
      .replace('producer=True', 'producer=False');
    expect(parseLogLine(loader, new Map())).toMatchObject({ source: 'loader' });
    const mapper = (line ?? '').replace('consumer=False', 'consumer=True');
    expect(parseLogLine(mapper, new Map())).toMatchObject({ source: 'mapper' });
  });

  it("takes a plugin's own level word over Meltano's [info]", () => {
    const line = (v3[4] ?? '').replace('INFO Starting', 'ERROR Starting');
    expect(parseLogLine(line, plugins)).toMatchObject({ level: 'error', source: 'extractor' });
    const sdk = (v3[4] ?? '').replace('INFO Starting', '2024-01-01 10:00:00,000 | WARNING | tap | Starting');
    expect(parseLogLine(sdk, plugins)).toMatchObject({ level: 'warning' });
  });

  it('says null for a line without the prefix', () => {
    expect(parseLogLine('Traceback (most recent call last):', plugins)).toBeNull();
  });
});

describe('LogLineClassifier', () => {
  it("marks a plugin's traceback as errors and continuation lines with the record before (v3 and v4)", () => {
    for (const path of [
      'v3.9.5/project/.meltano/logs/elt/failing-demo/01a1fc64-830a-7eb2-802c-09796b82fbc3/elt.log',
      'v4.2.2/user-log-dir/elt/failing-demo/01a1fc67-8eac-70bf-aa31-e6bbc91eafbd/elt.log',
    ]) {
      const classifier = new LogLineClassifier(plugins);
      const contexts = readLog(path).map((line) => classifier.next(line));
      const errors = readLog(path).filter(
        (_, i) => contexts[i]?.level === 'error' && contexts[i]?.source === 'extractor',
      );
      expect(errors).toHaveLength(6);
      expect(errors[0]).toContain('Traceback (most recent call last):');
      expect(errors[5]).toContain('RuntimeError: HTTP 500 from upstream API');
      // The next tap-free line (the target's) is back to info.
      expect(contexts[14]).toMatchObject({ source: 'loader', level: 'info' });
      // Meltano's own traceback after "ELT could not be completed" continues that error record.
      const meltanoTrace = readLog(path).findIndex((l) => l.startsWith('meltano.core.runner.RunnerError'));
      expect(contexts[meltanoTrace]).toMatchObject({ source: 'meltano', level: 'error' });
    }
  });
});
