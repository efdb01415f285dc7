import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/** `example.com:8443` → `example.com:8443`; `Example.COM` → `example.com`. */
function normalise(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '');
}

/**
 * With `ui.server_name` set, a request for any other Host gets 404 (as in Meltano), except the health
 * route: load balancers probe it by IP. A server name without a port accepts any port.
 */
export const hostCheck = fp(
  async (fastify: FastifyInstance, opts: { serverName: string | null; healthPath: string }) => {
    if (!opts.serverName) return;
    const expected = normalise(opts.serverName);
    const matches = (host: string) => {
      const h = normalise(host);
      return h === expected || (!/:\d+$/.test(expected) && h.replace(/:\d+$/, '') === expected);
    };
    fastify.addHook('onRequest', async (request, reply) => {
      if (request.url.split('?')[0] === opts.healthPath) return;
      if (matches(request.host)) return;
      return reply.status(404).send({
        error: true,
        code: 'unknown_host',
        message: 'This server does not answer for that host name (ui.server_name).',
      });
    });
  },
  { name: 'host-check' },
);
