import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet from 'helmet';

/**
 * CSP without inline scripts, no framing, nosniff, same-origin referrers. HSTS is left to the TLS
 * proxy, which knows whether https is the only way in. The API docs page sets its own CSP (hashes of
 * its inline parts). API answers are `no-store`: they hold project data and settings that no
 * browser or proxy cache should keep (the web app's hashed assets keep their long cache life).
 *
 * helmet itself, not @fastify/helmet: that plugin builds helmet's middleware again for every request
 * (parsing the CSP directives each time), which cost more than the rest of a small answer's headers;
 * here it is built once and applied to the raw response in onRequest, as the plugin does.
 */
export const securityHeaders = fp(
  async (fastify: FastifyInstance, opts: { apiPrefix: string }) => {
    fastify.addHook('onSend', async (request, reply) => {
      const pathname = request.url.split('?')[0] ?? '';
      if (pathname === opts.apiPrefix || pathname.startsWith(`${opts.apiPrefix}/`)) {
        reply.header('Cache-Control', 'no-store');
      }
    });
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
      // The same as frame-ancestors 'none', for browsers that only know the old header.
      xFrameOptions: { action: 'deny' },
    });
    fastify.addHook('onRequest', (request, reply, done) => {
      apply(request.raw, reply.raw, (err?: unknown) => done(err instanceof Error ? err : undefined));
    });
  },
  { name: 'security-headers' },
);
