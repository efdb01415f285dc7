import { describe, expect, it } from 'vitest';
import { envMap, envRowErrors, envRows, newEnvRow, sameEnv } from './env-rows';

describe('env rows', () => {
  it('round-trips a map and drops an untouched empty row', () => {
    const rows = [...envRows({ A: '1', B: '' }), newEnvRow()];
    expect(envMap(rows)).toEqual({ A: '1', B: '' });
    expect(new Set(rows.map((r) => r.id)).size).toBe(3);
  });

  it('marks a value without a name, a name used twice and a name a shell cannot export', () => {
    const rows = [newEnvRow('A', '1'), newEnvRow('', 'x'), newEnvRow('A', '2'), newEnvRow('9LIVES', '')];
    const errors = envRowErrors(rows);
    expect([...errors.values()]).toEqual([
      'Give the variable a name',
      'A is set twice',
      'Letters, digits and _ only, not starting with a digit',
    ]);
    expect(errors.has(rows[0]!.id)).toBe(false);
  });

  it('compares maps by content', () => {
    expect(sameEnv({ A: '1', B: '2' }, { B: '2', A: '1' })).toBe(true);
    expect(sameEnv({ A: '1' }, { A: '1', B: '2' })).toBe(false);
    expect(sameEnv({ A: '1' }, { A: '2' })).toBe(false);
  });
});
