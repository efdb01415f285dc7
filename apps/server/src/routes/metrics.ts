import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  InvalidApiTokenError,
  MetricsAccessError,
  MetricsDisabledError,
  SessionUnavailableError,
} from '@meltano-ui/core';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { isLoopbackName } from '../plugins/app/local-hosts.js';
import { errorResponses } from '../schemas/common.js';

const FORWARDING_HEADERS = ['x-forwarded-for', 'forwarded', 'x-real-ip'];

/**
 * From this machine: the TCP peer is a loopback address and nothing says it relays someone else. The
 * peer, not `request.ip`: a forged X-Forwarded-For never makes a remote client local, and a proxy on
 * this machine (nginx in front) forwards the world, so a forwarded request is never local either.
 */
function fromThisMachine(request: FastifyRequest): boolean {
  const peer = request.socket.remoteAddress ?? '';
  return isLoopbackName(peer) && FORWARDING_HEADERS.every((h) => request.headers[h] === undefined);
}

function bearerToken(request: FastifyRequest): string | null {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? null;
}

/**
 * `/metrics` in Prometheus' text format, when ui.metrics_enabled is on (404 `metrics_disabled`
 * otherwise), for a scraper with an API token or for this machine. With ui.authentication on the
 * authentication plugin has resolved a bearer token already; with it off the token is checked here.
 */
export const metricsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { enabled, registry } = fastify.metrics;
  fastify.get(
    '/metrics',
    {
      config: { access: 'public', identifies: enabled },
      schema: {
        tags: ['operations'],
        summary:
          'Prometheus metrics (ui.metrics_enabled): with an API token (Authorization: Bearer) or from this machine',
        security: [{ token: [] }, {}],
        response: {
          200: {
            description: 'Prometheus text exposition format 0.0.4',
            content: { 'text/plain': { schema: Type.String() } },
          },
          ...errorResponses(401, 403, 404, 503),
        },
      },
    },
    async (request, reply) => {
      if (!enabled) throw new MetricsDisabledError();
      const principal = request.principal;
      let allowed = principal.kind === 'user' && principal.via === 'token';
      // A request that says who it is must be a valid token, from anywhere: the host check lets such
      // requests through under any Host, so none of them may fall back to "this machine".
      if (!allowed && request.headers.authorization !== undefined) {
        const bearer = bearerToken(request);
        const found =
          bearer === null
            ? null
            : await fastify.auth.service.resolveApiToken(bearer).catch(() => {
                throw new SessionUnavailableError(2);
              });
        if (found === null) throw new InvalidApiTokenError();
        allowed = true;
      }
      if (!allowed && !fromThisMachine(request)) {
        reply.header('WWW-Authenticate', 'Bearer');
        throw new MetricsAccessError(principal.kind === 'user' ? 403 : 401);
      }
      const text = await registry.metrics();
      return reply.type(registry.contentType).send(text);
    },
  );
};
