import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { normaliseOrigin, requestOrigin } from './request-origin.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** The SPA sends it on every unsafe request; a cross-site form cannot, and a cross-site fetch would need CORS. */
export const CSRF_HEADER = 'x-requested-with';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The route authenticates every request by a signature over its body (a GitHub webhook): no
     * browser sends it, so the browser CSRF rule does not apply; the route must refuse unsigned requests.
     */
    signedWebhook?: boolean;
  }
}

/**
 * A request with no cookie at all and none of the markers browsers add (`Origin`, `Referer`,
 * `Sec-Fetch-Site` and the other Fetch Metadata headers) cannot be a forgery: a forged request is sent
 * by a victim's browser, which adds them (and its cookies). Plain scripts (curl, Python requests,
 * Node's fetch) look like this, so they need no X-Requested-With. `Sec-Fetch-Mode` alone does not
 * count: Node's fetch sends it by itself, and a browser never sends it without `Sec-Fetch-Site`.
 */
export function isCookielessScript(request: FastifyRequest): boolean {
  const { headers } = request;
  if (headers.cookie !== undefined || headers.origin !== undefined || headers.referer !== undefined)
    return false;
  return !Object.keys(headers).some((name) => name.startsWith('sec-fetch-') && name !== 'sec-fetch-mode');
}

/** Why the request looks cross-site, or null. */
function csrfProblem(request: FastifyRequest, trustForwardedHost: boolean): string | null {
  if (request.headers['sec-fetch-site'] === 'cross-site') return 'it was sent from another site';
  if (request.headers[CSRF_HEADER] === undefined) {
    return `it lacks the ${CSRF_HEADER} header the Meltano UI sends`;
  }
  // Browsers send Origin (or at least Referer) on unsafe requests; clients without either are not browsers.
  const sent = request.headers.origin ?? request.headers.referer;
  if (sent === undefined) return null;
  // The whole origin counts: http://host:5000 and https://host are other sites to a browser too.
  const origin = normaliseOrigin(sent);
  const own = requestOrigin(request, trustForwardedHost);
  if (origin !== null && origin === own) return null;
  const hint =
    own !== null && origin !== null && new URL(origin).host === new URL(own).host
      ? ' (behind a TLS proxy, list it in ui.forwarded_allow_ips and have it send X-Forwarded-Proto)'
      : '';
  return `its origin ${origin ?? 'null'} is not this server's (${own ?? 'no valid Host'})${hint}`;
}

/**
 * Every unsafe request must carry the custom header and come from this server's own origin. Requests
 * with an API token are exempt: a browser never attaches one on its own; so are requests with neither
 * a cookie nor a browser's markers (isCookielessScript). A request with a session cookie always needs
 * the header.
 */
export const csrf = fp(
  async (fastify: FastifyInstance, opts: { trustForwardedHost: boolean }) => {
    fastify.addHook('onRequest', async (request, reply) => {
      if (SAFE_METHODS.has(request.method)) return;
      if (request.routeOptions.config.signedWebhook === true) return;
      if (/^Bearer\s/i.test(request.headers.authorization ?? '')) return;
      if (isCookielessScript(request)) return;
      const problem = csrfProblem(request, opts.trustForwardedHost);
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
