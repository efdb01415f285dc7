import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, REAL_MELTANO, startTestApp, type TestApp } from './support/test-app.js';

const NOW = new Date('2026-11-21T04:45:10Z'); // 4 s after run 15's heartbeat: still running

describe.each(DIALECTS)('run logs (%s)', (dialect) => {
  let app: TestApp;
  let baseUrl: string;
  const logOf = (stateDir: string, runId: string) =>
    path.join(app.root, '.meltano', 'logs', 'elt', stateDir, runId, 'elt.log');

  beforeAll(async () => {
    app = await startTestApp(dialect, { now: NOW });
    baseUrl = await app.server.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.cleanup());

  it('returns the last N lines of the run log, with byte offsets', async () => {
    const file = logOf('manual-fail', '01a1fc64-438b-7a8f-b559-b1b1b56158d6');
    const text = fs.readFileSync(file, 'utf8');
    const res = await app.server.inject({ url: '/api/v1/runs/3/log?tail=2' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const lines = text.replace(/\n$/, '').split('\n');
    expect(body).toMatchObject({ run: 3, size: Buffer.byteLength(text), eof: true, lines: 2 });
    expect(body.text).toBe(`${lines.slice(-2).join('\n')}\n`);
    expect(body.offset + body.length).toBe(body.size);
  });

  it('reads byte ranges forward and backward, and refuses a range past the end', async () => {
    const file = logOf('daily-demo', '01a1fc64-72b2-7906-8379-1e4a31b1c9a7');
    const bytes = fs.readFileSync(file);
    const first = (await app.server.inject({ url: '/api/v1/runs/8/log?offset=0&length=100' })).json();
    expect(first).toMatchObject({ offset: 0, length: 100, size: bytes.length, eof: false });
    expect(first.text).toBe(bytes.subarray(0, 100).toString('utf8'));
    const before = (
      await app.server.inject({ url: `/api/v1/runs/8/log?end=${bytes.length}&length=200` })
    ).json();
    expect(before.offset + before.length).toBe(bytes.length);
    expect(before.text).toBe(bytes.subarray(before.offset).toString('utf8'));
    const past = await app.server.inject({ url: `/api/v1/runs/8/log?offset=${bytes.length + 10}` });
    expect(past.statusCode).toBe(416);
    expect(past.json().code).toBe('range_not_satisfiable');
    const both = await app.server.inject({ url: '/api/v1/runs/8/log?tail=5&offset=0' });
    expect(both.statusCode).toBe(400);
  });

  it('downloads the whole file with Range support', async () => {
    const file = logOf('daily-demo', '01a1fc64-72b2-7906-8379-1e4a31b1c9a7');
    const bytes = fs.readFileSync(file);
    const full = await fetch(`${baseUrl}/api/v1/runs/8/log/download`);
    expect(full.status).toBe(200);
    expect(full.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(full.headers.get('content-disposition')).toBe('attachment; filename="daily-demo-8-elt.log"');
    expect(Buffer.from(await full.arrayBuffer()).equals(bytes)).toBe(true);
    const part = await fetch(`${baseUrl}/api/v1/runs/8/log/download`, { headers: { Range: 'bytes=10-19' } });
    expect(part.status).toBe(206);
    expect(await part.text()).toBe(bytes.subarray(10, 20).toString('utf8'));
  });

  it('finds Meltano 4 logs through ui.logs_dir', async () => {
    const v4 = await startTestApp(dialect, {
      version: 'v4.2.2',
      now: NOW,
      logsDir: path.join(REAL_MELTANO, 'v4.2.2', 'user-log-dir'),
    });
    try {
      const res = await v4.server.inject({ url: '/api/v1/runs/3/log?tail=1000' });
      expect(res.statusCode).toBe(200);
      expect(res.json().text).toContain("RuntimeError: HTTP 500 from upstream API while paginating 'users'");
    } finally {
      await v4.cleanup();
    }
  });

  it('answers 404 with a clear code when a run has no log', async () => {
    fs.rmSync(logOf('cron-demo', '01a1fc64-a91d-772a-bc82-d0aab2575682'));
    const res = await app.server.inject({ url: '/api/v1/runs/11/log' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: true, code: 'log_not_found' });
  });

  it('streams appended lines over Server-Sent Events and resumes from Last-Event-ID', async () => {
    const file = logOf('devtap-demo-slow-to-target-demo', '01a1fc6c-03a9-706a-8239-cbc659a19680');
    const size = fs.statSync(file).size;
    const controller = new AbortController();
    const res = await fetch(`${baseUrl}/api/v1/runs/15/log/stream?offset=${size}`, {
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    let received = '';
    const until = async (needle: string) => {
      while (!received.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended before ${needle}`);
        received += new TextDecoder().decode(value);
      }
    };
    await until('event: run');
    const line = '2026-11-21T04:45:07.000000Z [info     ] a line appended while watching\n';
    fs.appendFileSync(file, line);
    await until('appended while watching');
    expect(received).toContain(`id: ${size + Buffer.byteLength(line)}`);
    controller.abort();

    const resumed = await fetch(`${baseUrl}/api/v1/runs/15/log/stream`, {
      headers: { 'Last-Event-ID': String(size) },
      signal: AbortSignal.timeout(5000),
    });
    const r2 = resumed.body!.getReader();
    let text = '';
    while (!text.includes('appended while watching'))
      text += new TextDecoder().decode((await r2.read()).value);
    await r2.cancel();
  });

  it('ends the stream of a finished run once its log is sent', async () => {
    const res = await fetch(`${baseUrl}/api/v1/runs/8/log/stream`, { signal: AbortSignal.timeout(10_000) });
    const body = await res.text();
    expect(body).toContain('event: log');
    expect(body).toContain('Extract & load complete!');
    expect(body).toMatch(/event: end\ndata: \{"reason":"run_finished"/);
  });
});
