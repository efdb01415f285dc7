import { describe, expect, it } from 'vitest';
import { INTERVAL_PRESETS, isNamedInterval, LATER_PRESETS, utcTime } from './interval-presets';

describe('interval presets', () => {
  it('offers every interval Meltano names (project format §1.6)', () => {
    expect([...INTERVAL_PRESETS, ...LATER_PRESETS].map((p) => p.value).sort()).toEqual(
      [
        '@annually',
        '@daily',
        '@hourly',
        '@manual',
        '@midnight',
        '@monthly',
        '@none',
        '@once',
        '@weekly',
        '@yearly',
      ].sort(),
    );
    expect(isNamedInterval(' @daily')).toBe(true);
    expect(isNamedInterval('0 0 * * *')).toBe(false);
  });

  it('shows run times in UTC, the zone cron intervals fire in', () => {
    expect(utcTime('2026-01-05T23:30:00.000Z', 'en-GB')).toBe('Mon, 5 Jan 2026, 23:30 UTC');
  });
});
