import http from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';

/** A raw HTTP/1.1 exchange on a real socket (fetch hides some headers and cannot send HEAD bodies). */
function request(
  url: string,
  method: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Headers that differ per response whoever writes it. */
const withoutPerResponse = (headers: Record<string, unknown>) => {
  const { date: _d, connection: _c, 'keep-alive': _k, ...rest } = headers;
  return rest;
};

describe('liveness probes answered below Fastify', () => {
  let app: TestApp | null = null;
  afterEach(async () => {
    await app?.cleanup();
    app = null;
  });

  const metricCount = async (a: TestApp) => {
    const text = (await a.server.inject({ url: '/api/v1/metrics' })).body;
    const line = text
      .split('\n')
      .find((l) =>
        l.startsWith(
          'meltano_ui_http_request_duration_seconds_count{method="GET",route="/api/v1/health",status_code="200"}',
        ),
      );
    return line === undefined ? 0 : Number(line.split(' ').pop());
  };

  it("answer with exactly the route's status, headers and body, for GET and HEAD, and count in the metrics", async () => {
    app = await startTestApp('sqlite', { env: { MELTANO_UI_METRICS_ENABLED: 'true' } });
    const address = await app.server.listen({ host: '127.0.0.1', port: 0 });
    const routed = await app.server.inject({ url: '/api/v1/health' });
    const before = await metricCount(app);

    const fast = await request(`${address}/api/v1/health`, 'GET', { host: 'rebound.example' });
    expect(fast.status).toBe(200);
    expect(fast.body).toBe('{"healthy":true}');
    expect(withoutPerResponse(fast.headers)).toEqual(withoutPerResponse(routed.headers));
    expect(fast.headers['cache-control']).toBe('no-store');
    expect(fast.headers['x-content-type-options']).toBe('nosniff');
    expect(fast.headers['keep-alive']).toMatch(/^timeout=\d+/);

    const head = await request(`${address}/api/v1/health`, 'HEAD');
    expect({ status: head.status, body: head.body, length: head.headers['content-length'] }).toEqual({
      status: 200,
      body: '',
      length: '16',
    });
    expect(await metricCount(app)).toBe(before + 2);
    expect(app.server.healthFastPath.served).toBe(2);
  });

  it('leave everything else to Fastify: other methods, query strings, other paths', async () => {
    app = await startTestApp('sqlite', {});
    const address = await app.server.listen({ host: '127.0.0.1', port: 0 });
    // A cookie-less script passes the CSRF rule; Fastify then refuses the empty JSON body.
    const post = await request(`${address}/api/v1/health`, 'POST', { 'content-type': 'application/json' });
    expect(post.status).toBe(400);
    expect(JSON.parse(post.body)).toMatchObject({ error: true });
    const query = await request(`${address}/api/v1/health?probe=1`, 'GET');
    expect({ status: query.status, body: query.body }).toEqual({ status: 200, body: '{"healthy":true}' });
    expect((await request(`${address}/api/v1/healthz`, 'GET')).status).toBe(404);
    expect((await request(`${address}/api/v1/ready`, 'GET')).status).toBe(200);
    expect(app.server.healthFastPath.served).toBe(0);
  });

  it('leave a probe that carries a body to Fastify, so the next request on the connection is read right', async () => {
    app = await startTestApp('sqlite', {});
    const address = new URL(await app.server.listen({ host: '127.0.0.1', port: 0 }));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const send = (method: string, headers: Record<string, string> = {}, body?: string) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = http.request(
          { host: address.hostname, port: address.port, path: '/api/v1/health', method, headers, agent },
          (res) => {
            let text = '';
            res.on('data', (d: Buffer) => {
              text += d.toString();
            });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    try {
      const framed = { 'content-type': 'application/json', 'content-length': '7' };
      expect(await send('GET', framed, '{"a":1}')).toMatchObject({ status: 200 });
      expect(await send('HEAD')).toEqual({ status: 200, body: '' });
      expect(await send('GET', { 'transfer-encoding': 'chunked' }, 'abc')).toMatchObject({ status: 200 });
      expect(await send('GET')).toEqual({ status: 200, body: '{"healthy":true}' });
      expect(app.server.healthFastPath.served).toBe(2);
      // A body without framing (Node's client sends one so for a GET) is junk after the request: the
      // connection is refused with a 400 and closed, never left with a 200 in front of it.
      const junk = await send('GET', { 'content-type': 'application/json' }, '{"a":1}').catch(
        (err: Error) => ({ status: 0, body: err.message }),
      );
      expect([0, 200, 400]).toContain(junk.status);
      // The next probe is answered, or finds the connection closed (a client retries that), and is
      // never misread (before: "Parse Error: Expected HTTP/").
      const next = await send('HEAD').catch((err: Error) => ({ status: 0, body: err.message }));
      if (next.status === 0) expect(next.body).toMatch(/socket hang up|ECONNRESET/);
      else expect(next).toEqual({ status: 200, body: '' });
    } finally {
      agent.destroy();
    }
  });

  it('follow ui.base_path: the probe is answered under it and not beside it', async () => {
    app = await startTestApp('sqlite', { env: { MELTANO_UI_BASE_PATH: '/meltano/' } });
    const address = await app.server.listen({ host: '127.0.0.1', port: 0 });
    const under = await request(`${address}/meltano/api/v1/health`, 'GET');
    expect({ status: under.status, body: under.body }).toEqual({ status: 200, body: '{"healthy":true}' });
    expect(app.server.healthFastPath.served).toBe(1);
    expect((await request(`${address}/api/v1/health`, 'GET')).status).toBe(404);
  });

  it('with debug logging, every probe goes through Fastify and is logged', async () => {
    const lines: string[] = [];
    app = await startTestApp('sqlite', { logLines: lines, logLevel: 'debug' });
    const address = await app.server.listen({ host: '127.0.0.1', port: 0 });
    expect((await request(`${address}/api/v1/health`, 'GET')).status).toBe(200);
    const probes = () =>
      lines.filter((l) => {
        const line = JSON.parse(l) as { route?: string; url?: string };
        return line.route === '/api/v1/health';
      });
    const deadline = Date.now() + 2000;
    while (probes().length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(probes().length).toBeGreaterThanOrEqual(1);
    expect(app.server.healthFastPath.served).toBe(0);
  });
});
