import type { Principal } from '@meltano-ui/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { redactUrl } from '../../log-options.js';

export interface RequestLogOptions {
  /** `<ui.base_path>/api/v1`: paths outside it are the web app's files. */
  apiPrefix: string;
}

/** Who asked, for a log line: a user name (and the token's name), never a session id or token. */
function who(principal: Principal | null | undefined): { user: string; token?: string } {
  if (principal?.kind !== 'user') return { user: 'anonymous' };
  return principal.via === 'token'
    ? { user: principal.user.username, token: principal.tokenName }
    : { user: principal.user.username };
}

/**
 * One line per request, when it has been answered (or, for a live log, when its connection closes):
 * method, route pattern, redacted URL, status, milliseconds and user; the request id is the logger's
 * `reqId`. Probes, scrapes and the web app's own files are logged at debug only, so a load balancer
 * polling every second does not drown the lines that matter.
 */
export const requestLog = fp(
  async (fastify: FastifyInstance, opts: RequestLogOptions) => {
    const quiet = new Set(['/health', '/ready', '/metrics'].map((p) => `${opts.apiPrefix}${p}`));
    const logged = new WeakSet<FastifyRequest>();

    const line = (request: FastifyRequest, reply: FastifyReply, closedEarly: boolean) => {
      if (logged.has(request)) return;
      logged.add(request);
      const route = request.routeOptions.url ?? null;
      const pathname = request.url.split('?')[0] ?? '';
      const isApi = pathname === opts.apiPrefix || pathname.startsWith(`${opts.apiPrefix}/`);
      const status = reply.statusCode;
      const level =
        (route !== null && quiet.has(route)) || (!isApi && status < 400)
          ? 'debug'
          : status >= 500
            ? 'error'
            : 'info';
      const url = redactUrl(request.url);
      const ms = Math.round(reply.elapsedTime * 10) / 10;
      const user = who(request.principal);
      const by = user.token === undefined ? user.user : `${user.user} (token ${user.token})`;
      request.log[level](
        {
          method: request.method,
          route,
          url,
          status,
          ms,
          ...user,
          ...(closedEarly ? { closed_by_client: true } : {}),
        },
        `${request.method} ${url} ${status} ${ms}ms ${by}${closedEarly ? ' (closed by the client)' : ''}`,
      );
    };

    // A live log ends when the browser goes away: no 'finish', so no onResponse; 'close' says it.
    fastify.addHook('onRequest', async (request, reply) => {
      reply.raw.once('close', () => {
        if (!reply.raw.writableFinished) line(request, reply, true);
      });
    });
    fastify.addHook('onResponse', async (request, reply) => line(request, reply, false));
  },
  { name: 'request-log' },
);
