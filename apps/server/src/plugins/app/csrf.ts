import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The SPA sends it on every unsafe request; a cross-site form cannot, and a cross-site fetch would need CORS. */
export const CSRF_HEADER = 'x-requested-with';

function originHost(value: string): string | null {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : null;
  } catch {
    return null;
  }
}

/** Why the request looks cross-site, or null. */
function csrfProblem(request: FastifyRequest, allowedHosts: string[]): string | null {
  if (request.headers['sec-fetch-site'] === 'cross-site') return 'it was sent from another site';
  if (request.headers[CSRF_HEADER] === undefined) {
    return `it lacks the ${CSRF_HEADER} header the Meltano UI sends`;
  }
  // Browsers send Origin (or at least Referer) on unsafe requests; clients without either are not browsers.
  const origin = request.headers.origin ?? request.headers.referer;
  if (origin === undefined) return null;
  const host = originHost(origin);
  // request.host is the Host header, or X-Forwarded-Host from a trusted proxy.
  if (host !== null && (host === request.host || allowedHosts.includes(host))) return null;
  return `its origin ${origin} is not this server`;
}

/**
 * Every unsafe request must carry the custom header and come from this server's own origin. Requests
 * with an API token are exempt: a browser never attaches one on its own.
 */
export const csrf = fp(
  async (fastify: FastifyInstance, opts: { serverName: string | null }) => {
    const allowedHosts = opts.serverName ? [opts.serverName] : [];
    fastify.addHook('onRequest', async (request, reply) => {
      if (SAFE_METHODS.has(request.method)) return;
      if (/^Bearer\s/i.test(request.headers.authorization ?? '')) return;
      const problem = csrfProblem(request, allowedHosts);
      if (problem === null) return;
      return reply.status(403).send({
        error: true,
        code: 'csrf_rejected',
        message: `Refused as a possible cross-site request: ${problem}.`,
      });
    });
  },
  { name: 'csrf' },
);
