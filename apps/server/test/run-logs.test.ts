import fs from 'node:fs';
import path from 'node:path';
import { logLineIndex } from '@meltano-ui/core';
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

  it('numbers the first line of every chunk', async () => {
    const file = logOf('manual-fail', '01a1fc64-438b-7a8f-b559-b1b1b56158d6');
    const bytes = fs.readFileSync(file);
    const lineAt = (offset: number) => bytes.subarray(0, offset).toString('latin1').split('\n').length;
    const totalLines = bytes.toString('utf8').replace(/\n$/, '').split('\n').length;
    const tail = (await app.server.inject({ url: '/api/v1/runs/3/log?tail=5' })).json();
    expect(tail.first_line).toBe(totalLines - 4);
    const head = (await app.server.inject({ url: '/api/v1/runs/3/log?offset=0&length=500' })).json();
    expect(head.first_line).toBe(1);
    const middle = (await app.server.inject({ url: '/api/v1/runs/3/log?offset=3000&length=500' })).json();
    expect(middle.first_line).toBe(lineAt(3000));
    const older = (await app.server.inject({ url: '/api/v1/runs/3/log?end=5000&length=1000' })).json();
    expect(older.first_line).toBe(lineAt(older.offset));
    expect(bytes[older.offset - 1]).toBe(0x0a);
    const end = (await app.server.inject({ url: '/api/v1/runs/3/log?from_end=true&length=800' })).json();
    expect(end.first_line).toBe(lineAt(end.offset));
    expect(end.eof).toBe(true);
  });

  it('answers the first tail of a large log at once and numbers its lines once counted', async () => {
    const file = logOf('daily-demo', '01a1fc64-72b2-7906-8379-1e4a31b1c9a7');
    const original = fs.readFileSync(file);
    const filler = Buffer.from(
      `${'2026-11-21T04:36:44.000000Z [info     ] filler'.padEnd(127, '.')}\n`.repeat(8192),
    );
    const handle = fs.openSync(file, 'a');
    for (let i = 0; i < 12; i += 1) fs.writeSync(handle, filler); // 12 MiB more
    fs.closeSync(handle);
    try {
      logLineIndex.clear();
      const totalLines = original.toString('utf8').split('\n').length - 1 + 12 * 8192;
      const first = (await app.server.inject({ url: '/api/v1/runs/8/log?tail=10' })).json();
      expect(first).toMatchObject({ lines: 10, eof: true, first_line: null });
      expect(first.text.split('\n')).toHaveLength(11);
      await logLineIndex.backgroundIdle();
      const again = (await app.server.inject({ url: '/api/v1/runs/8/log?tail=10' })).json();
      expect(again.first_line).toBe(totalLines - 9);
      const page = (
        await app.server.inject({ url: `/api/v1/runs/8/log?offset=${again.offset}&length=4` })
      ).json();
      expect(page.first_line).toBe(totalLines - 9);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('reads from the start of a line, and says how many lines there are past the end', async () => {
    const file = logOf('manual-fail', '01a1fc64-438b-7a8f-b559-b1b1b56158d6');
    const lines = fs.readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
    const res = await app.server.inject({ url: '/api/v1/runs/3/log?line=22&length=300' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.first_line).toBe(22);
    expect(body.offset).toBe(Buffer.byteLength(`${lines.slice(0, 21).join('\n')}\n`));
    expect(body.text.startsWith(`${lines[21]}\n`)).toBe(true);
    const past = await app.server.inject({ url: `/api/v1/runs/3/log?line=${lines.length + 1}` });
    expect(past.statusCode).toBe(416);
    expect(past.json()).toMatchObject({
      error: true,
      code: 'line_out_of_range',
      details: { lines: lines.length },
    });
    const mixed = await app.server.inject({ url: '/api/v1/runs/3/log?line=2&offset=0' });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json()).toMatchObject({ error: true, code: 'invalid_input' });
  });

  it('searches forward and backward, and jumps to the first error', async () => {
    const file = logOf('manual-fail', '01a1fc64-438b-7a8f-b559-b1b1b56158d6');
    const text = fs.readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const lineOf = (needle: string, from = 0) =>
      lines.findIndex((l, i) => i >= from && l.includes(needle)) + 1;
    const search = async (query: string) => {
      const res = await app.server.inject({ url: `/api/v1/runs/3/log/search?${query}` });
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    const first = await search('q=emitted%20RECORD');
    expect(first).toMatchObject({ run: 3, resume_from: null, size: Buffer.byteLength(text) });
    expect(first.match).toMatchObject({ line: lineOf('Emitted record'), column: 45, match_length: 14 });
    expect(first.match.line_offset).toBe(
      Buffer.byteLength(`${lines.slice(0, first.match.line - 1).join('\n')}\n`),
    );
    const second = await search(`q=emitted%20record&from=${first.match.offset + 1}`);
    expect(second.match.line).toBe(first.match.line + 1);
    const back = await search(`q=emitted%20record&direction=backward&from=${second.match.offset}`);
    expect(back.match.offset).toBe(first.match.offset);
    const last = await search('q=emitted%20record&direction=backward');
    expect(last.match.line).toBe(lineOf('Emitted record id=3'));
    const fromLine = await search(`q=emitted%20record&from_line=${first.match.line + 1}`);
    expect(fromLine.match.line).toBe(first.match.line + 1);
    const pastEnd = await search('q=emitted%20record&direction=backward&from_line=100000');
    expect(pastEnd.match.line).toBe(last.match.line);
    const errors = await search('kind=errors');
    expect(errors.match).toMatchObject({ line: lineOf('Traceback (most recent call last)'), column: 40 });
    const none = await search('q=no%20such%20text');
    expect(none).toMatchObject({ match: null, resume_from: null });
  });

  it('searches a large log in bounded steps that continue from resume_from', async () => {
    const file = logOf('daily-demo', '01a1fc64-72b2-7906-8379-1e4a31b1c9a7');
    const original = fs.readFileSync(file);
    const filler = Buffer.from(
      `${'2026-11-21T04:36:44.000000Z [info     ] filler'.padEnd(127, '.')}\n`.repeat(8192),
    );
    const handle = fs.openSync(file, 'a');
    for (let i = 0; i < 40; i += 1) fs.writeSync(handle, filler);
    fs.writeSync(handle, '2026-11-21T04:36:45.000000Z [error    ] the needle at the end\n');
    fs.closeSync(handle);
    try {
      let from = 0;
      let calls = 0;
      let match = null;
      while (match === null) {
        const res = await app.server.inject({ url: `/api/v1/runs/8/log/search?q=NEEDLE&from=${from}` });
        const body = res.json();
        calls += 1;
        expect(body.scanned).toBeLessThanOrEqual(36 * 1024 * 1024);
        match = body.match;
        if (match === null) {
          expect(body.resume_from).toBeGreaterThan(from);
          from = body.resume_from;
        }
      }
      expect(calls).toBe(2);
      const expectedLine = original.toString('utf8').split('\n').length + 40 * 8192;
      expect(match).toMatchObject({ line: expectedLine, column: 44 });
      const tail = (await app.server.inject({ url: '/api/v1/runs/8/log?tail=1' })).json();
      expect(tail.first_line).toBe(expectedLine);
    } finally {
      fs.writeFileSync(file, original);
    }
  });

  it('answers bad log queries with 4xx JSON, and traversal-looking values harmlessly', async () => {
    const bad = [
      '/api/v1/runs/3/log?line=0',
      '/api/v1/runs/3/log?line=abc',
      '/api/v1/runs/3/log?offset=-1',
      '/api/v1/runs/3/log?offset=99999999999999999999',
      '/api/v1/runs/3/log?length=0',
      '/api/v1/runs/3/log/search',
      '/api/v1/runs/3/log/search?q=',
      `/api/v1/runs/3/log/search?q=${'x'.repeat(501)}`,
      '/api/v1/runs/3/log/search?q=a%0Ab',
      '/api/v1/runs/3/log/search?q=a&direction=sideways',
      '/api/v1/runs/3/log/search?q=a&kind=regex',
      '/api/v1/runs/3/log/search?q=a&from=-5',
      '/api/v1/runs/3/log/search?q=a&from=1.5',
      '/api/v1/runs/3/log/search?q=a&from_line=0',
      '/api/v1/runs/3/log/search?q=a&from=1&from_line=1',
      '/api/v1/runs/3/log/search?kind=errors&q=a',
      '/api/v1/runs/..%2F..%2Fetc%2Fpasswd/log/search?q=root',
      '/api/v1/runs/3%2F..%2F4/log?tail=1',
    ];
    for (const url of bad) {
      const res = await app.server.inject({ url });
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.json(), url).toMatchObject({ error: true });
    }
    const past = await app.server.inject({ url: '/api/v1/runs/3/log/search?q=a&from=999999999' });
    expect(past.statusCode).toBe(416);
    const missing = await app.server.inject({ url: '/api/v1/runs/999/log/search?q=a' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().code).toBe('run_not_found');
    for (const q of ['../../../../etc/passwd', '%2e%2e%2f%2e%2e%2fetc', '\\..\\..\\windows', '$(id)', '.*']) {
      const res = await app.server.inject({ url: `/api/v1/runs/3/log/search?q=${encodeURIComponent(q)}` });
      expect(res.statusCode, q).toBe(200);
      expect(res.json(), q).toMatchObject({ match: null, resume_from: null });
    }
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
