import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * CSP without inline scripts, no framing, nosniff, same-origin referrers. HSTS is left to the TLS
 * proxy, which knows whether https is the only way in. The API docs page sets its own CSP (hashes of
 * its inline parts).
 */
export const securityHeaders = fp(
  async (fastify: FastifyInstance) => {
    await fastify.register(helmet, {
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
  },
  { name: 'security-headers' },
);
