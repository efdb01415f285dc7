import http from 'node:http';
import net from 'node:net';
import type { FuzzRequest } from './malformed-requests.js';

export interface FuzzResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body, at most the first MiB (a download or stream is cut there). */
  body: string;
  /** The connection failed or was reset before a status line came. */
  error?: string;
}

const BODY_CAP = 1024 * 1024;

/**
 * Sends one request; a connection the server closed after its previous answer (a keep-alive race in
 * the client, not a server fault) is retried once on a fresh connection.
 */
export async function send(port: number, agent: http.Agent, req: FuzzRequest): Promise<FuzzResponse> {
  const res = await sendOnce(port, agent, req);
  if (!isCut(res)) return res;
  const again = await sendOnce(port, false, req);
  if (!isCut(again) || req.body === undefined) return again;
  // A server that answers a body it refuses (413 over the limit) before the client has sent it all
  // closes the connection under the client's write: Node's client reports EPIPE and drops the answer
  // already on the wire. A raw socket keeps reading after a failed write.
  return sendOverRawSocket(port, req);
}

const isCut = (res: FuzzResponse) =>
  res.error !== undefined && /ECONNRESET|socket hang up|EPIPE/.test(res.error);

async function sendOverRawSocket(port: number, req: FuzzRequest): Promise<FuzzResponse> {
  const body = req.body ?? Buffer.alloc(0);
  const headers = { host: `127.0.0.1:${port}`, ...req.headers, 'content-length': String(body.length) };
  const head = Object.entries(headers)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${String(v)}\r\n`)
    .join('');
  const raw = await sendRaw(
    port,
    Buffer.concat([
      Buffer.from(`${req.method} ${req.path} HTTP/1.1\r\n${head}connection: close\r\n\r\n`),
      body,
    ]),
    10_000,
  );
  const end = raw.indexOf('\r\n\r\n');
  const [statusLine = '', ...lines] = raw.slice(0, end < 0 ? raw.length : end).split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  if (status === 0)
    return { status: 0, headers: {}, body: '', error: `no answer over a raw socket: ${raw.slice(0, 80)}` };
  const parsed: http.IncomingHttpHeaders = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) parsed[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { status, headers: parsed, body: end < 0 ? '' : raw.slice(end + 4) };
}

/** Sends one request with Node's client (any method, any header bytes it allows), 10 s at most. */
function sendOnce(port: number, agent: http.Agent | false, req: FuzzRequest): Promise<FuzzResponse> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (res: FuzzResponse) => {
      if (!done) {
        done = true;
        resolve(res);
      }
    };
    let request: http.ClientRequest;
    try {
      request = http.request({
        host: '127.0.0.1',
        port,
        agent,
        method: req.method,
        path: req.path,
        headers: { host: `127.0.0.1:${port}`, ...req.headers },
        timeout: 10_000,
      });
    } catch (err) {
      // Node's client refuses some paths and header values itself; a raw socket sends those.
      finish({ status: 0, headers: {}, body: '', error: `client refused: ${(err as Error).message}` });
      return;
    }
    request.on('response', (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const stream = String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        size += chunk.length;
        if (size >= BODY_CAP || stream) res.destroy();
      });
      const end = () =>
        finish({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      res.on('end', end);
      res.on('close', end);
    });
    request.on('timeout', () => request.destroy(new Error('timed out')));
    request.on('error', (err) => finish({ status: 0, headers: {}, body: '', error: err.message }));
    request.end(req.body);
  });
}

/**
 * Writes bytes on a fresh socket and returns what came back until the server closed it or `waitMs`
 * passed: for requests Node's client will not send (bad bytes, smuggling, broken framing).
 */
export function sendRaw(port: number, bytes: Buffer | string, waitMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on('connect', () => socket.write(bytes));
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('latin1'));
    });
  });
}

/** Every status code in a raw answer (pipelined requests give several). */
export function statusCodes(raw: string): number[] {
  return [...raw.matchAll(/HTTP\/1\.[01] (\d{3})/g)].map((m) => Number(m[1]));
}

/** Requests that only a raw socket can send. */
export function rawRequests(port: number): { label: string; bytes: Buffer | string }[] {
  const host = `Host: 127.0.0.1:${port}\r\n`;
  return [
    {
      label: 'invalid UTF-8 in the path',
      bytes: Buffer.concat([
        Buffer.from('GET /api/v1/runs/'),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(` HTTP/1.1\r\n${host}\r\n`),
      ]),
    },
    {
      label: 'invalid UTF-8 in a header',
      bytes: Buffer.concat([
        Buffer.from(`GET /api/v1/project HTTP/1.1\r\n${host}Cookie: meltano_ui_session=`),
        Buffer.from([0xc0, 0xaf, 0xff]),
        Buffer.from('\r\n\r\n'),
      ]),
    },
    { label: 'NUL in the path', bytes: `GET /api/v1/runs/1\u0000/log HTTP/1.1\r\n${host}\r\n` },
    {
      label: 'two different Content-Length',
      bytes: `POST /api/v1/auth/login HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 40\r\n\r\n{}`,
    },
    {
      label: 'Content-Length with Transfer-Encoding',
      bytes: `POST /api/v1/auth/login HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /api/v1/project HTTP/1.1\r\n${host}\r\n`,
    },
    {
      label: 'broken chunk size',
      bytes: `POST /api/v1/auth/login HTTP/1.1\r\n${host}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`,
    },
    { label: 'two Host headers', bytes: `GET /api/v1/project HTTP/1.1\r\n${host}Host: evil.example\r\n\r\n` },
    {
      label: 'two Content-Type headers',
      bytes: `POST /api/v1/auth/login HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\n{}`,
    },
    {
      label: '20 KiB header',
      bytes: `GET /api/v1/project HTTP/1.1\r\n${host}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
    },
    {
      label: '2,000 headers',
      bytes: `GET /api/v1/project HTTP/1.1\r\n${host}${Array.from({ length: 2000 }, (_, i) => `X-H${i}: v\r\n`).join('')}\r\n`,
    },
    {
      label: 'absolute-form target',
      bytes: `GET http://evil.example/api/v1/project HTTP/1.1\r\n${host}\r\n`,
    },
    { label: 'HTTP/1.0 without Host', bytes: 'GET /api/v1/project HTTP/1.0\r\n\r\n' },
    { label: 'HTTP/2 preface', bytes: 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' },
    { label: 'garbage request line', bytes: 'HELLO\r\n\r\n' },
    { label: 'unknown method', bytes: `FOO /api/v1/project HTTP/1.1\r\n${host}\r\n` },
    { label: 'CONNECT', bytes: `CONNECT 127.0.0.1:22 HTTP/1.1\r\n${host}\r\n` },
    { label: 'header without colon', bytes: `GET /api/v1/project HTTP/1.1\r\n${host}Broken header\r\n\r\n` },
    { label: 'obs-fold header', bytes: `GET /api/v1/project HTTP/1.1\r\n${host}X-A: a\r\n  folded\r\n\r\n` },
    { label: '100 pipelined requests', bytes: `GET /api/v1/health HTTP/1.1\r\n${host}\r\n`.repeat(100) },
    {
      label: 'body shorter than Content-Length',
      bytes: `POST /api/v1/auth/login HTTP/1.1\r\n${host}Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"username":`,
    },
  ];
}

/**
 * Slowloris: `count` sockets that send a request's headers a few bytes at a time for `ms`. Resolves
 * with how many the server had closed by then; the caller checks that others were served meanwhile.
 */
export async function slowClients(
  port: number,
  count: number,
  ms: number,
): Promise<{ closedByServer: number }> {
  let closedByServer = 0;
  const sockets = Array.from({ length: count }, (_, i) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => {});
    socket.on('close', () => {
      closedByServer++;
    });
    socket.on('connect', () =>
      socket.write(
        i % 2 === 0
          ? `GET /api/v1/project HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n`
          : `POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{`,
      ),
    );
    return socket;
  });
  const drip = setInterval(() => {
    for (const [i, s] of sockets.entries()) if (!s.destroyed) s.write(i % 2 === 0 ? 'X-a: b\r\n' : ' ');
  }, 250);
  await new Promise((r) => setTimeout(r, ms));
  clearInterval(drip);
  const result = { closedByServer };
  for (const s of sockets) {
    s.removeAllListeners('close');
    s.destroy();
  }
  return result;
}
