import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeavyWork } from '../src/plugins/app/heavy-work.js';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

describe.each(DIALECTS)('limits on heavy log work (%s)', (dialect) => {
  let app: TestApp;
  // The test's own gate, so that it can hold every slot.
  const gate = createHeavyWork({ concurrency: 2, queue: 2, retryAfterSeconds: 3 });
  const heavyWork = () => gate;

  beforeAll(async () => {
    app = await startTestApp(dialect, {
      limits: {
        heavyWork: gate,
        rateLimits: {
          logRead: { max: 3, timeWindowMs: 60_000 },
          notFound: { max: 2, timeWindowMs: 60_000 },
        },
      },
    });
  });
  afterAll(() => app.cleanup());

  it('queues searches past the running ones, refuses the rest with 429 server_busy, and health still answers', async () => {
    // Two jobs the test holds: every slot is busy until they are released.
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const held = [heavyWork().run(() => gate), heavyWork().run(() => gate)];
    expect(heavyWork().load()).toEqual({ running: 2, waiting: 0 });

    const searches = Array.from({ length: 20 }, () =>
      app.server.inject({ url: '/api/v1/runs/3/log/search?q=emitted%20record' }),
    );
    const refused: Awaited<(typeof searches)[number]>[] = [];
    for (const search of searches) void search.then((res) => res.statusCode === 429 && refused.push(res));
    while (refused.length < 18) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(heavyWork().load()).toEqual({ running: 2, waiting: 2 });

    const health = await app.server.inject({ url: '/api/v1/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ healthy: true });

    for (const res of refused) {
      expect(res.headers['retry-after']).toBe('3');
      expect(res.json()).toMatchObject({ error: true, code: 'server_busy', details: { retry_after: 3 } });
    }
    release();
    await Promise.all(held);
    const all = await Promise.all(searches);
    expect(all.map((r) => r.statusCode).sort()).toEqual([...Array(2).fill(200), ...Array(18).fill(429)]);
    expect(heavyWork().load()).toEqual({ running: 0, waiting: 0 });
  });

  it('rate-limits log reads per client with a JSON 429 and Retry-After', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      codes.push((await app.server.inject({ url: '/api/v1/runs/3/log?tail=5' })).statusCode);
    }
    expect(codes).toEqual([200, 200, 200]);
    const limited = await app.server.inject({ url: '/api/v1/runs/3/log?tail=5' });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ error: true, code: 'rate_limited' });
    // Another client is not affected.
    const other = await app.server.inject({ url: '/api/v1/runs/3/log?tail=5', remoteAddress: '127.0.0.9' });
    expect(other.statusCode).toBe(200);
  });

  it('keys IPv6 clients as the limiter does: one /64 shares a count, a v4-mapped address is its IPv4 one', async () => {
    const read = (remoteAddress: string) =>
      app.server.inject({ url: '/api/v1/runs/3/log?tail=5', remoteAddress }).then((r) => r.statusCode);
    const subnet = ['2001:db8:1:2::10', '2001:db8:1:2::11', '2001:db8:1:2:ffff::1', '2001:db8:1:2::12'];
    const codes: number[] = [];
    for (const address of subnet) codes.push(await read(address));
    expect(codes).toEqual([200, 200, 200, 429]);
    expect(await read('2001:db8:1:3::10')).toBe(200);

    for (let i = 0; i < 3; i += 1) expect(await read('127.0.0.21')).toBe(200);
    expect(await read('::ffff:127.0.0.21')).toBe(429);
  });

  it('rate-limits 404s, and health stays open', async () => {
    expect((await app.server.inject({ url: '/api/v1/no-such-thing' })).statusCode).toBe(404);
    expect((await app.server.inject({ url: '/api/v1/nor-this' })).statusCode).toBe(404);
    const limited = await app.server.inject({ url: '/api/v1/probing' });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json()).toMatchObject({ error: true, code: 'rate_limited' });
    expect((await app.server.inject({ url: '/api/v1/health' })).statusCode).toBe(200);
  });
});
