import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bareLine } from './bare-line';

const REAL = new URL('../../../../../../test-fixtures/real-meltano/', import.meta.url);
const lines = (path: string) => readFileSync(new URL(path, REAL), 'utf8').split('\n');
const v3 = lines(
  'v3.9.5/project/.meltano/logs/elt/failing-demo/01a1fc64-830a-7eb2-802c-09796b82fbc3/elt.log',
);
const v4 = lines('v4.2.2/user-log-dir/elt/failing-demo/01a1fc67-8eac-70bf-aa31-e6bbc91eafbd/elt.log');
const v2 = lines(
  'v2.20.0/project/.meltano/logs/elt/failing-demo/1efce64b-cb3e-454f-9c7f-9c39fe2f9328/elt.log',
);

describe('bareLine over real Meltano lines', () => {
  it('leaves a v3 plugin line as the plugin wrote it (its own key=value text kept)', () => {
    expect(bareLine(v3[5] ?? '').text).toBe('INFO Emitted record id=1');
    expect(bareLine(v3[4] ?? '').text).toBe("INFO Starting sync of stream 'users' (mode=fail)");
    expect(bareLine(v3[10] ?? '').text).toBe('    sync_users(client)');
    expect(bareLine(v3[13] ?? '').text).toBe(
      "RuntimeError: HTTP 500 from upstream API while paginating 'users'",
    );
  });

  it("cuts Meltano's own context keys, quoted or not", () => {
    expect(bareLine(v3[0] ?? '').text).toBe('Running extract & load...');
    expect(bareLine(v3[2] ?? '').text).toBe('No state was found, complete import.');
    expect(bareLine(v3[19] ?? '').text).toBe('Extraction failed');
    expect(bareLine(v2[1] ?? '').text).toBe('No state was found, complete import.');
  });

  it("drops v4's logger-name column and keeps a traceback's indentation", () => {
    expect(bareLine(v4[0] ?? '').text).toBe('Running extract & load...');
    expect(bareLine(v4[5] ?? '').text).toBe('INFO Emitted record id=1');
    expect(bareLine(v4[9] ?? '').text).toBe('  File "/tmp/rm/scripts/tap-demo", line 42, in <module>');
    expect(bareLine(v4[14] ?? '').text).toBe('INFO target-demo: reading Singer messages from stdin');
  });

  it('says how much was cut from the start, and leaves lines without the prefix alone', () => {
    const raw = v3[5] ?? '';
    const { text, cut } = bareLine(raw);
    expect(raw.slice(cut, cut + text.length)).toBe(text);
    expect(bareLine('Traceback (most recent call last):')).toEqual({
      text: 'Traceback (most recent call last):',
      cut: 0,
    });
  });
});
