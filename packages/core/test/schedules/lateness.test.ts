import { describe, expect, it } from 'vitest';
import { parseSchedule } from '../../src/project/load-entities.js';
import { parseDurationSeconds } from '../../src/schedules/duration.js';
import {
  computeLateness,
  type LatenessInput,
  MAX_COUNTED_MISSES,
  scheduleLateness,
} from '../../src/schedules/lateness.js';

const base = (over: Partial<LatenessInput>): LatenessInput => ({
  interval: '@hourly',
  startDate: null,
  orchestrated: true,
  runStarts: [],
  now: new Date('2026-11-21T10:30:00Z'),
  ...over,
});

describe('scheduleLateness', () => {
  it('is on time while the latest run met the last fire time, and names the next one', () => {
    const result = scheduleLateness(
      base({ runStarts: ['2026-11-21T10:00:42.123456Z', '2026-11-21T09:00:10Z'] }),
    );
    expect(result).toEqual({
      status: 'on_time',
      expected_at: '2026-11-21T11:00:00.000Z',
      missed: 0,
      missed_capped: false,
      grace_seconds: 360, // 10% of an hour
      since: '2026-11-21T10:00:42.123Z',
      not_applicable_reason: null,
    });
  });

  it('counts every fire time since the latest run whose grace window passed without a run', () => {
    const now = new Date('2026-11-21T13:07:00Z');
    const result = scheduleLateness(base({ now, runStarts: ['2026-11-21T10:00:05Z'] }));
    // 11:00, 12:00 and 13:00 are missed (13:00's 6 minute grace window ended at 13:06).
    expect(result).toMatchObject({ status: 'late', expected_at: '2026-11-21T11:00:00.000Z', missed: 3 });
    const inGrace = scheduleLateness(
      base({ now: new Date('2026-11-21T13:05:00Z'), runStarts: ['2026-11-21T10:00:05Z'] }),
    );
    expect(inGrace).toMatchObject({ status: 'late', missed: 2 });
  });

  it('waits for the grace window: 5 minutes at least, 10% of a long interval', () => {
    const runStarts = ['2026-11-21T10:00:00Z'];
    const quarterly = { interval: '*/15 * * * *', runStarts };
    // 15 min interval: 10% is 90 s, so the 5 minute floor applies.
    expect(scheduleLateness(base({ ...quarterly, now: new Date('2026-11-21T10:19:59Z') }))).toMatchObject({
      status: 'on_time',
      expected_at: '2026-11-21T10:15:00.000Z',
      grace_seconds: 300,
    });
    expect(scheduleLateness(base({ ...quarterly, now: new Date('2026-11-21T10:20:01Z') }))).toMatchObject({
      status: 'late',
      missed: 1,
    });
    // Daily: 2.4 h of grace.
    const daily = { interval: '@daily', runStarts: ['2026-11-20T00:01:00Z'] };
    expect(scheduleLateness(base({ ...daily, now: new Date('2026-11-21T02:20:00Z') })).status).toBe(
      'on_time',
    );
    expect(scheduleLateness(base({ ...daily, now: new Date('2026-11-21T02:25:00Z') }))).toMatchObject({
      status: 'late',
      expected_at: '2026-11-21T00:00:00.000Z',
      grace_seconds: 8640,
    });
  });

  it('uses ui.schedule_grace when set', () => {
    const input = base({ runStarts: ['2026-11-21T09:00:00Z'], now: new Date('2026-11-21T10:10:00Z') });
    expect(scheduleLateness(input).status).toBe('late'); // 6 min default grace
    expect(scheduleLateness({ ...input, graceSeconds: 15 * 60 })).toMatchObject({
      status: 'on_time',
      expected_at: '2026-11-21T10:00:00.000Z',
      grace_seconds: 900,
    });
  });

  it('lets a run started a little early meet its fire time (clock skew)', () => {
    const result = scheduleLateness(
      base({ runStarts: ['2026-11-21T09:59:30Z'], now: new Date('2026-11-21T10:30:00Z') }),
    );
    expect(result).toMatchObject({ status: 'on_time', expected_at: '2026-11-21T11:00:00.000Z', missed: 0 });
  });

  it('counts from start_date without runs, and from start_date when it is later than the latest run', () => {
    const noRuns = scheduleLateness(base({ startDate: '2026-11-21', now: new Date('2026-11-21T03:30:00Z') }));
    // 00:00, 01:00, 02:00 and 03:00 (03:00 + 6 min grace has passed at 03:30).
    expect(noRuns).toMatchObject({ status: 'late', missed: 4, since: '2026-11-21T00:00:00.000Z' });
    const future = scheduleLateness(base({ startDate: '2026-12-01 00:00:00' }));
    expect(future).toMatchObject({ status: 'on_time', missed: 0, expected_at: '2026-12-01T00:00:00.000Z' });
    const restarted = scheduleLateness(
      base({
        startDate: '2026-11-21T10:00:00+00:00',
        runStarts: ['2026-11-01T00:00:00Z'],
        now: new Date('2026-11-21T10:20:00Z'),
      }),
    );
    expect(restarted).toMatchObject({ status: 'late', missed: 1, expected_at: '2026-11-21T10:00:00.000Z' });
  });

  it('without runs or start_date nothing is missed yet: on time, with the next fire time', () => {
    expect(scheduleLateness(base({}))).toMatchObject({
      status: 'on_time',
      expected_at: '2026-11-21T11:00:00.000Z',
      missed: 0,
      since: null,
    });
  });

  it('caps the count: a minutely schedule silent for a year stops at MAX_COUNTED_MISSES', () => {
    const started = performance.now();
    const result = scheduleLateness(
      base({
        interval: '* * * * *',
        runStarts: ['2025-11-21T10:00:00Z'],
        now: new Date('2026-11-21T10:00:00Z'),
      }),
    );
    expect(result).toMatchObject({
      status: 'late',
      expected_at: '2025-11-21T10:01:00.000Z',
      missed: MAX_COUNTED_MISSES,
      missed_capped: true,
    });
    // Bounded by the cap, not by a year of minutes (generous: shared CI machines).
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('is not applicable to @once, @manual, invalid intervals and schedules marked not orchestrated', () => {
    const old = ['2020-01-01T00:00:00Z'];
    for (const interval of ['@once', '@manual', '@none', null]) {
      expect(scheduleLateness(base({ interval, runStarts: old }))).toMatchObject({
        status: 'not_applicable',
        not_applicable_reason: 'no_cron',
        expected_at: null,
        missed: 0,
      });
    }
    expect(scheduleLateness(base({ interval: 'every day', runStarts: old })).not_applicable_reason).toBe(
      'invalid_interval',
    );
    expect(scheduleLateness(base({ orchestrated: false, runStarts: old }))).toMatchObject({
      status: 'not_applicable',
      not_applicable_reason: 'not_orchestrated',
    });
  });

  it('reads cron in UTC whatever the local zone: no DST shift around a change in Europe or the US', () => {
    // 2026-03-29 is Europe's spring-forward day and 2026-03-08 the US's; Meltano's cron stays UTC.
    const result = scheduleLateness(
      base({
        interval: '30 2 * * *',
        runStarts: ['2026-03-28T02:30:00Z'],
        now: new Date('2026-03-29T05:00:00Z'),
      }),
    );
    expect(result).toMatchObject({ status: 'late', expected_at: '2026-03-29T02:30:00.000Z', missed: 1 });
  });
});

describe('parseDurationSeconds', () => {
  it.each([
    ['900', 900],
    ['90s', 90],
    ['15m', 900],
    ['1h30m', 5400],
    ['1h 30m', 5400],
    ['1.5h', 5400],
    ['2d', 172_800],
    [600, 600],
  ])('reads %s', (text, seconds) => {
    expect(parseDurationSeconds(text, 'ui.schedule_grace')).toBe(seconds);
  });

  it.each(['', 'soon', '15 minutes', '-5m', '5x'])('refuses %j with the setting name', (text) => {
    expect(() => parseDurationSeconds(text, 'ui.schedule_grace')).toThrow(
      /ui\.schedule_grace must be a duration/,
    );
  });
});

describe('annotations: {meltano-ui: {orchestrated: false}}', () => {
  it('marks a schedule as run by hand only; any other value or none keeps it orchestrated', () => {
    const raw = (annotations: unknown) => ({
      interval: '@daily',
      extractor: 'tap-x',
      loader: 'target-y',
      annotations,
    });
    expect(
      parseSchedule(raw({ 'meltano-ui': { orchestrated: false } }), 's', 'meltano.yml').orchestrated,
    ).toBe(false);
    expect(
      parseSchedule(raw({ 'meltano-ui': { orchestrated: 'false' } }), 's', 'meltano.yml').orchestrated,
    ).toBe(false);
    expect(
      parseSchedule(raw({ 'meltano-ui': { orchestrated: true } }), 's', 'meltano.yml').orchestrated,
    ).toBe(true);
    expect(parseSchedule(raw({ airflow: { orchestrated: false } }), 's', 'meltano.yml').orchestrated).toBe(
      true,
    );
    expect(parseSchedule(raw(undefined), 's', 'meltano.yml').orchestrated).toBe(true);
  });
});

describe('the kept answer', () => {
  it('is the one computed afresh at every moment, as time passes and runs start', () => {
    const inputs: Omit<LatenessInput, 'now'>[] = [
      { interval: '@hourly', startDate: null, orchestrated: true, runStarts: ['2026-12-01T10:00:30Z'] },
      { interval: '*/15 * * * *', startDate: '2026-12-01', orchestrated: true, runStarts: [] },
      { interval: '@daily', startDate: null, orchestrated: true, runStarts: [] },
      { interval: '0 6 * * 1', startDate: null, orchestrated: true, runStarts: ['2026-11-30T06:02:00Z'] },
      {
        interval: '@hourly',
        startDate: null,
        orchestrated: true,
        runStarts: ['2026-12-01T10:00:30Z'],
        graceSeconds: 1,
      },
    ];
    const start = Date.parse('2026-12-01T10:00:00Z');
    // Every 97 s for a day and a half: crosses fire times and the ends of grace windows.
    for (let t = start; t < start + 36 * 3600_000; t += 97_000) {
      for (const input of inputs) {
        const at = { ...input, now: new Date(t) };
        expect(scheduleLateness(at), `${input.interval} at ${new Date(t).toISOString()}`).toEqual(
          computeLateness(at).lateness,
        );
      }
    }
  });
});
