import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/**
 * Every answer: nosniff, no framing, same-origin referrers and reads (CORP), and a CSP that allows
 * nothing — what OWASP's REST cheat sheet asks of API answers, which no browser renders. HTML
 * documents (the web app, the API docs page) get helmet's whole set on top: the web app's CSP without
 * inline scripts or styles, COOP, Origin-Agent-Cluster and the rest. Sending the document set on
 * every JSON answer tripled its headers (~750 bytes) for nothing, and bytes are what a small answer's
 * throughput is bound by. HSTS is left to the TLS proxy, which knows whether https is the only way
 * in. API answers are `no-store`: they hold project data and settings that no browser or proxy cache
 * should keep (the web app's hashed assets keep their long cache life).
 *
 * The compact set goes on the raw response in onRequest, so answers that bypass onSend (live-log
 * streams) have it too; the document set is added in onSend, where the type is known, without
 * overriding a route's own header (the docs page sets a CSP with its inline parts' hashes).
 *
 * helmet itself, not @fastify/helmet: that plugin builds helmet's middleware again for every request
 * (parsing the CSP directives each time). Here it runs once, against a recorder.
 */
const EVERY_ANSWER: readonly [string, string][] = [
  ['Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'"],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Referrer-Policy', 'same-origin'],
  ['X-Content-Type-Options', 'nosniff'],
  // The same as frame-ancestors 'none', for browsers that only know the old header.
  ['X-Frame-Options', 'DENY'],
];

const COMPACT = new Map(EVERY_ANSWER.map(([name, value]) => [name.toLowerCase(), value]));

function documentHeaders(): [string, string][] {
  const apply = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        // Plugin logos come from Meltano Hub and other https hosts.
        imgSrc: ["'self'", 'data:', 'https:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
    xFrameOptions: { action: 'deny' },
  });
  // helmet's headers depend on nothing in the request (no nonces here).
  const headers: [string, string][] = [];
  let failed: unknown = null;
  const recorder = {
    setHeader: (name: string, value: unknown) => headers.push([name, String(value)]),
    removeHeader: () => {},
  };
  apply({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    failed = err ?? null;
  });
  if (failed !== null || headers.length === 0) throw new Error(`helmet gave no headers: ${String(failed)}`);
  return headers;
}

export const securityHeaders = fp(
  async (fastify: FastifyInstance, opts: { apiPrefix: string }) => {
    const forDocuments = documentHeaders();
    const health = `${opts.apiPrefix}/health`;
    fastify.addHook('onRequest', (request, reply, done) => {
      const raw = reply.raw;
      // The liveness probe (`{"healthy":true}`, asked many times a second by load balancers) gets
      // nosniff and no-store only: nothing in it can be framed, run or leaked, and on a small answer
      // every header is a measurable share of the work.
      if (request.url === health) raw.setHeader('X-Content-Type-Options', 'nosniff');
      else for (const [name, value] of EVERY_ANSWER) raw.setHeader(name, value);
      done();
    });
    fastify.addHook('onSend', (request, reply, payload, done) => {
      const pathname = request.url.split('?')[0] ?? '';
      if (pathname === opts.apiPrefix || pathname.startsWith(`${opts.apiPrefix}/`)) {
        reply.header('Cache-Control', 'no-store');
      }
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
        for (const [name, value] of forDocuments) {
          // getHeader sees the raw response's headers too: ours from onRequest are replaced, a
          // route's own value is kept.
          const current = reply.getHeader(name);
          if (current === undefined || current === COMPACT.get(name.toLowerCase())) reply.header(name, value);
        }
      }
      done(null, payload);
    });
  },
  { name: 'security-headers' },
);
