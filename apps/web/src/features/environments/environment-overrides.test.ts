import { describe, expect, it } from 'vitest';
import { entries, flattenConfig, overrideCount } from './environment-overrides';

describe('environment overrides', () => {
  it('flattens nested settings to dotted names and shows non-strings as JSON', () => {
    expect(
      flattenConfig({
        mode: 'ok-prod',
        auth: { user: 'u', password: '(redacted)' },
        streams: ['a', 'b'],
        n: 3,
        e: {},
      }),
    ).toEqual([
      { key: 'mode', value: 'ok-prod' },
      { key: 'auth.user', value: 'u' },
      { key: 'auth.password', value: '(redacted)' },
      { key: 'streams', value: '["a","b"]' },
      { key: 'n', value: '3' },
      { key: 'e', value: '{}' },
    ]);
  });

  it('counts everything an environment changes', () => {
    expect(overrideCount({ env: {}, plugin_overrides: [] })).toBe(0);
    expect(
      overrideCount({
        env: { A: '1' },
        plugin_overrides: [{ config: { x: { y: 1, z: 2 } }, env: { B: '2' }, extras: { select: ['s.*'] } }],
      }),
    ).toBe(5);
    expect(entries({ select: ['s.*'] })).toEqual([{ key: 'select', value: '["s.*"]' }]);
  });
});
