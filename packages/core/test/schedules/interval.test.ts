import { Cron } from 'croner';
import { describe, expect, it } from 'vitest';
import { describeInterval, nextRunTimes } from '../../src/schedules/interval.js';

const now = new Date('2026-11-21T04:32:02.276Z'); // a Saturday

describe('describeInterval', () => {
  it.each([
    ['@hourly', '0 * * * *', 'Every hour (UTC)', '2026-11-21T05:00:00.000Z'],
    ['@daily', '0 0 * * *', 'At 00:00 (UTC)', '2026-11-22T00:00:00.000Z'],
    ['@midnight', '0 0 * * *', 'At 00:00 (UTC)', '2026-11-22T00:00:00.000Z'],
    ['@weekly', '0 0 * * 0', 'At 00:00, only on Sunday (UTC)', '2026-11-22T00:00:00.000Z'],
    ['@monthly', '0 0 1 * *', 'At 00:00, on day 1 of the month (UTC)', '2026-12-01T00:00:00.000Z'],
    [
      '@yearly',
      '0 0 1 1 *',
      'At 00:00, on day 1 of the month, only in January (UTC)',
      '2027-01-01T00:00:00.000Z',
    ],
    [
      '@annually',
      '0 0 1 1 *',
      'At 00:00, on day 1 of the month, only in January (UTC)',
      '2027-01-01T00:00:00.000Z',
    ],
  ])('maps %s to %s', (interval, cron, description, next) => {
    expect(describeInterval(interval, now)).toEqual({
      interval,
      cron,
      description,
      next_run_at: next,
      valid: true,
    });
  });

  it.each([
    ['@once', 'Run once, not on a schedule'],
    ['@manual', 'Manual only'],
    ['@none', 'No interval'],
    [null, 'No interval'],
  ])('has no cron for %s', (interval, description) => {
    expect(describeInterval(interval, now)).toEqual({
      interval,
      cron: null,
      description,
      next_run_at: null,
      valid: true,
    });
  });

  it.each([
    [
      '*/23 13-22 * * 1-5',
      'Every 23 minutes, between 13:00 and 22:59, Monday through Friday (UTC)',
      '2026-11-23T13:00:00.000Z',
    ],
    ['0 */4 * * *', 'On the hour, every 4 hours (UTC)', '2026-11-21T08:00:00.000Z'],
    ['35 */1 * * *', 'At 35 minutes past the hour (UTC)', '2026-11-21T04:35:00.000Z'],
    ['9 8 * * *', 'At 08:09 (UTC)', '2026-11-21T08:09:00.000Z'],
    ['*/15 * * * *', 'Every 15 minutes (UTC)', '2026-11-21T04:45:00.000Z'],
  ])('describes the fixture cron %s', (cron, description, next) => {
    expect(describeInterval(cron, now)).toEqual({
      interval: cron,
      cron,
      description,
      next_run_at: next,
      valid: true,
    });
  });

  it.each(['every day', '61 * * * *', '* * * *', '0 0 * * * *', '@fortnightly', ''])(
    'rejects %j',
    (interval) => {
      const info = describeInterval(interval, now);
      expect(info).toMatchObject({ interval, cron: null, next_run_at: null, valid: false });
      expect(info.description).toContain('is not a valid interval');
    },
  );
});

describe('nextRunTimes', () => {
  it('lists the next runs in UTC after now', () => {
    expect(nextRunTimes('*/23 13-22 * * 1-5', 4, now)).toEqual([
      '2026-11-23T13:00:00.000Z',
      '2026-11-23T13:23:00.000Z',
      '2026-11-23T13:46:00.000Z',
      '2026-11-23T14:00:00.000Z',
    ]);
    expect(nextRunTimes('@weekly', 2, now)).toEqual(['2026-11-22T00:00:00.000Z', '2026-11-29T00:00:00.000Z']);
  });

  it('is empty without a cron', () => {
    expect(nextRunTimes('@once', 3, now)).toEqual([]);
    expect(nextRunTimes(null, 3, now)).toEqual([]);
    expect(nextRunTimes('not cron', 3, now)).toEqual([]);
    expect(nextRunTimes('@daily', 0, now)).toEqual([]);
  });
});

describe('describeInterval reuses what it parsed', () => {
  it('answers the next run right for every minute of a day, in order and out of order', () => {
    const start = Date.parse('2026-03-01T00:00:00Z');
    const minutes = Array.from({ length: 24 * 60 }, (_, i) => start + i * 60_000 + 30_000);
    const shuffled = [...minutes].sort((a, b) => ((a * 7919) % 1000) - ((b * 7919) % 1000));
    for (const interval of ['*/15 * * * *', '@hourly', '0 6 * * 1-5', '0 0 29 2 *']) {
      const expected = (t: number) =>
        new Cron(cronOf(interval), { timezone: 'UTC', paused: true, mode: '5-part' })
          .nextRun(new Date(t))
          ?.toISOString() ?? null;
      for (const t of [...minutes, ...shuffled]) {
        expect(
          describeInterval(interval, new Date(t)).next_run_at,
          `${interval} at ${new Date(t).toISOString()}`,
        ).toBe(expected(t));
      }
    }
  });

  it('an exact fire time answers the one after it', () => {
    expect(describeInterval('@hourly', new Date('2026-03-01T05:00:00.000Z')).next_run_at).toBe(
      '2026-03-01T06:00:00.000Z',
    );
    expect(describeInterval('@hourly', new Date('2026-03-01T04:59:59.999Z')).next_run_at).toBe(
      '2026-03-01T05:00:00.000Z',
    );
  });
});

function cronOf(interval: string): string {
  return interval === '@hourly' ? '0 * * * *' : interval;
}
