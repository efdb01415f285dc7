import http, { type IncomingMessage, type OutgoingHttpHeaders, type ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyServerFactory } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** The probe fast path this server was built with (buildServer). */
    healthFastPath: HealthFastPath;
  }
}

/** Headers Node writes for each response itself; the rest of a captured answer is replayed as is. */
const PER_RESPONSE = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

/** The options Fastify hands its server factory, once normalised (its defaults filled in). */
interface ServerTimings {
  http?: http.ServerOptions;
  keepAliveTimeout?: number;
  requestTimeout?: number;
  connectionTimeout?: number;
  maxRequestsPerSocket?: number;
}

interface Answer {
  headers: OutgoingHttpHeaders;
  body: Buffer;
}

/**
 * Liveness probes answered below Fastify. Load balancers and Kubernetes call `/health` many times a
 * second; through Fastify each call pays routing, a request id, a child logger and every hook (host
 * check, session lookup, CSRF, access, rate limit, security headers, metrics, request log) for an
 * answer that never depends on the request — a quarter of a bare Fastify server's throughput.
 *
 * Once the server listens, the route's own answer (status 200, every header, the body) is captured
 * with `inject()` and replayed for `GET`/`HEAD` of exactly that path, so the two cannot drift apart;
 * anything else (a query string, another method) goes to Fastify as before. With debug logging on,
 * every probe goes through Fastify too, so each is logged as it was. Metrics still count each probe.
 */
export class HealthFastPath {
  /** Probes answered here (tests). */
  served = 0;
  private answer: Answer | null = null;
  private observe: ((seconds: number) => void) | null = null;

  constructor(private readonly path: string) {}

  /** Fastify's `serverFactory`: the HTTP/1 server Fastify would make, with the probe answered first. */
  readonly serverFactory: FastifyServerFactory = (handler, fastifyOptions) => {
    const options = fastifyOptions as ServerTimings;
    const server = http.createServer(options.http ?? {}, (req: IncomingMessage, res: ServerResponse) => {
      if (!this.answers(req)) {
        handler(req, res);
        return;
      }
      const started = this.observe === null ? 0 : performance.now();
      const { headers, body } = this.answer as Answer;
      // Answered once the parser is done with the bytes it holds (a microtask runs after it), as
      // Fastify would: bytes after the request in the same packet (a body sent without
      // Content-Length) are parsed first, and if they are not a request the
      // connection gets its 400 and is closed; answering at once put a 200 before that 400 on a
      // connection the client then reused, and its next answer came garbled (the fuzz test's find).
      queueMicrotask(() => {
        if (res.destroyed || res.socket === null || res.socket.destroyed) return;
        this.served++;
        res.writeHead(200, headers);
        res.end(req.method === 'HEAD' ? undefined : body);
        this.observe?.((performance.now() - started) / 1000);
      });
    });
    // What Fastify sets on the server it makes itself (lib/server.js), so nothing else changes.
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout;
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout;
    server.setTimeout(options.connectionTimeout ?? 0);
    if ((options.maxRequestsPerSocket ?? 0) > 0)
      server.maxRequestsPerSocket = options.maxRequestsPerSocket ?? 0;
    return server;
  };

  /** Captures the route's answer; call once the server listens (its onListen hook). */
  async capture(fastify: FastifyInstance, observe: ((seconds: number) => void) | null): Promise<void> {
    if (fastify.log.level === 'debug' || fastify.log.level === 'trace') return;
    const res = await fastify.inject({ method: 'GET', url: this.path, headers: { host: '127.0.0.1' } });
    if (res.statusCode !== 200) return;
    const headers: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(res.headers)) {
      if (value !== undefined && !PER_RESPONSE.has(name.toLowerCase())) headers[name] = value;
    }
    this.observe = observe;
    this.answer = { headers, body: res.rawPayload };
  }

  /**
   * Only a bodiless GET or HEAD of exactly the path: a request that says it carries a body goes to
   * Fastify, which reads it; answered here, the body would stay on the connection and be read as
   * the next request.
   */
  private answers(req: IncomingMessage): boolean {
    if (this.answer === null || req.url !== this.path) return false;
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const length = req.headers['content-length'];
    return req.headers['transfer-encoding'] === undefined && (length === undefined || length === '0');
  }
}
