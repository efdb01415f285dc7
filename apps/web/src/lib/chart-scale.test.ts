import { describe, expect, it } from 'vitest';
import { durationScale, niceStep } from './chart-scale';

describe('niceStep', () => {
  it('rounds up to 1, 2 or 5 × 10^n', () => {
    expect([0.3, 1, 1.2, 3, 7, 12, 45, 0.07].map(niceStep)).toEqual([0.5, 1, 2, 5, 10, 20, 50, 0.1]);
  });
});

describe('durationScale', () => {
  it('uses minutes for runs of minutes, with the top tick above the longest run', () => {
    const s = durationScale(7 * 60 + 10);
    expect(s.unit).toBe('min');
    expect(s.ticks.map(s.label)).toEqual(['0', '2', '4', '6', '8']);
    expect(s.max).toBe(8 * 60);
  });

  it('uses seconds under two minutes, hours past three', () => {
    const short = durationScale(42);
    expect(short.unit).toBe('s');
    expect(short.ticks.map(short.label)).toEqual(['0', '20', '40', '60']);
    const long = durationScale(5.5 * 3600);
    expect(long.unit).toBe('h');
    expect(long.ticks.map(long.label)).toEqual(['0', '2', '4', '6']);
  });

  it('labels fractional steps with their decimals and survives a zero-length run', () => {
    const s = durationScale(2 * 60, 4);
    expect(s.ticks.map(s.label)).toEqual(['0.0', '0.5', '1.0', '1.5', '2.0']);
    const zero = durationScale(0);
    expect(zero.max).toBeGreaterThan(0);
    expect(zero.ticks[0]).toBe(0);
  });
});
