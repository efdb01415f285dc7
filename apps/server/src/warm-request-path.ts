import http from 'node:http';
import { parseHost } from './plugins/app/request-origin.js';

export interface WarmRequest {
  /** `<ui.base_path>/api/v1/ready`. */
  path: string;
  /** ui.server_name when set (the only Host the server answers for), else the address connected to. */
  serverName: string | null;
  /** A Cookie header with a session cookie that is validly signed but names no session, or null. */
  cookie: string | null;
}

const TIMEOUT_MS = 2000;

/**
 * One readiness request from the server to itself, over a real loopback connection, once start-up's
 * other work is done. The first request a fresh process answers runs Fastify's request path, the
 * session cookie's check and the socket writes for the first time, and it cost a first log tail
 * after boot ~3 ms more than the next one. It is an ordinary request with nothing a client could not
 * send: an unknown session token, signed as the cookie is, so the session lookup runs, finds
 * nothing and the answer clears the cookie (sent only while the database answers: with it down the
 * lookup would warn about a session nobody has); readiness is logged at debug and is counted in
 * /metrics like any probe. Never rejects: whatever fails here fails again on a real request.
 */
export async function warmRequestPath(server: http.Server, request: WarmRequest): Promise<void> {
  const address = server.address();
  if (address === null) return;
  const tcp =
    typeof address === 'string' ? null : { host: reachableAddress(address.address), port: address.port };
  const named = request.serverName === null ? null : parseHost(request.serverName);
  const hostHeader = named
    ? hostValue(named.hostname, named.port)
    : tcp
      ? hostValue(tcp.host, String(tcp.port))
      : 'localhost';
  await new Promise<void>((resolve) => {
    const req = http.get(
      {
        ...(tcp ?? { socketPath: address as string }),
        path: request.path,
        agent: false,
        timeout: TIMEOUT_MS,
        headers: {
          host: hostHeader,
          ...(request.cookie === null ? {} : { cookie: request.cookie }),
          connection: 'close',
        },
      },
      (res) => {
        res.resume();
        res.once('end', resolve);
        res.once('error', () => resolve());
      },
    );
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve());
  });
}

function hostValue(hostname: string, port: string): string {
  const name = hostname.includes(':') ? `[${hostname}]` : hostname;
  return port === '' ? name : `${name}:${port}`;
}

/** An address of this machine that reaches a socket bound to `bound`: 0.0.0.0 and :: are not addresses. */
export function reachableAddress(bound: string): string {
  if (bound === '0.0.0.0') return '127.0.0.1';
  if (bound === '::') return '::1';
  return bound;
}
