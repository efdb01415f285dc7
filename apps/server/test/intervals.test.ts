import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';

// A pure computation over the clock: no database involved, so SQLite alone is enough.
describe('interval preview', () => {
  let app: TestApp;
  const preview = async (query: string) => {
    const res = await app.server.inject({ url: `/api/v1/intervals/preview?${query}` });
    return { status: res.statusCode, body: res.json() };
  };

  beforeAll(async () => {
    app = await startTestApp('sqlite', { now: new Date('2026-01-05T10:07:30Z') });
  });
  afterAll(() => app.cleanup());

  it('describes a cron and lists its next five runs after the server clock, in UTC', async () => {
    const { status, body } = await preview(`interval=${encodeURIComponent('*/15 * * * *')}`);
    expect(status).toBe(200);
    expect(body).toEqual({
      interval: '*/15 * * * *',
      valid: true,
      description: 'Every 15 minutes (UTC)',
      cron: '*/15 * * * *',
      next_runs: [
        '2026-01-05T10:15:00.000Z',
        '2026-01-05T10:30:00.000Z',
        '2026-01-05T10:45:00.000Z',
        '2026-01-05T11:00:00.000Z',
        '2026-01-05T11:15:00.000Z',
      ],
    });
  });

  it("maps Meltano's presets to their cron, and @once/@manual to none", async () => {
    const weekly = (await preview('interval=%40weekly')).body;
    expect(weekly).toMatchObject({ valid: true, cron: '0 0 * * 0' });
    // 2026-01-05 is a Monday: the next Sundays at midnight.
    expect(weekly.next_runs.slice(0, 2)).toEqual(['2026-01-11T00:00:00.000Z', '2026-01-18T00:00:00.000Z']);
    expect((await preview('interval=%40annually&count=1')).body).toMatchObject({
      valid: true,
      cron: '0 0 1 1 *',
      next_runs: ['2027-01-01T00:00:00.000Z'],
    });
    for (const none of ['@once', '@manual', '@none']) {
      const { body } = await preview(`interval=${encodeURIComponent(none)}`);
      expect(body).toMatchObject({ interval: none, valid: true, cron: null, next_runs: [] });
      expect(body.error).toBeUndefined();
    }
  });

  it('says why an interval is not valid, without failing the request', async () => {
    for (const bad of ['every tuesday', '@fortnightly', '0 0 * * * *', '61 * * * *']) {
      const { status, body } = await preview(`interval=${encodeURIComponent(bad)}`);
      expect(status, bad).toBe(200);
      expect(body, bad).toMatchObject({ interval: bad, valid: false, cron: null, next_runs: [] });
      expect(body.error, bad).toMatch(/not a valid interval/);
    }
  });

  it('answers 400 for a missing interval or an out-of-range count', async () => {
    expect((await preview('')).status).toBe(400);
    expect((await preview('interval=%40daily&count=500')).status).toBe(400);
  });
});
