import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { isLoopbackName, LocalHosts } from './local-hosts.js';
import { type ParsedHost, parseHost, requestHost } from './request-origin.js';

export interface HostCheckOptions {
  /** ui.server_name: the one name answered for. */
  serverName: string | null;
  /** ui.allowed_hosts (without ui.server_name): names answered for besides this machine's; `*` any. */
  allowedHosts: string[];
  /** ui.trust_forwarded_host: a trusted proxy's X-Forwarded-Host counts as the Host. */
  trustForwardedHost: boolean;
  /** Open to any Host: load balancers probe it by IP. */
  healthPath: string;
  /**
   * Open to any Host when the request carries `Authorization`: Prometheus scrapes each replica by its
   * address, and the route then answers only a valid API token, so a re-pointed name gains nothing.
   */
  metricsPath: string;
}

/** `name` matches any port, `name:port` that port only. */
function matcher(entries: string[]): (host: ParsedHost) => boolean {
  const parsed = entries.map(parseHost).filter((h): h is ParsedHost => h !== null);
  return (host) =>
    parsed.some((e) => e.hostname === host.hostname && (e.port === '' || e.port === host.port));
}

function refuse(code: string, status: number, message: string) {
  return { status, body: { error: true as const, code, message } };
}

/**
 * Which Host names the server answers for, checked before anything else (static files included).
 * With `ui.server_name` only that name (404 otherwise, as in Meltano). Without it only this machine's
 * own names and addresses and `ui.allowed_hosts` (421 otherwise): a web page whose name an attacker
 * re-points at 127.0.0.1 (DNS rebinding) sends its own name as Host and so never passes.
 */
export const hostCheck = fp(
  async (fastify: FastifyInstance, opts: HostCheckOptions) => {
    if (!opts.serverName && opts.allowedHosts.includes('*')) return;
    const serverName = opts.serverName ? matcher([opts.serverName]) : null;
    const allowed = matcher(opts.allowedHosts);
    const local = new LocalHosts();
    const isLocal = (host: ParsedHost, request: FastifyRequest) =>
      isLoopbackName(host.hostname) ||
      // The address the connection came in on (the bound address, or the interface of 0.0.0.0).
      host.hostname === (request.socket.localAddress ?? '').replace(/^::ffff:(?=\d+\.)/, '') ||
      local.has(host.hostname);

    fastify.addHook('onRequest', async (request, reply) => {
      const pathname = request.url.split('?')[0];
      if (pathname === opts.healthPath) return;
      if (pathname === opts.metricsPath && request.headers.authorization !== undefined) return;
      const host = parseHost(requestHost(request, opts.trustForwardedHost));
      let refusal: ReturnType<typeof refuse> | null = null;
      if (serverName) {
        if (host === null || !serverName(host)) {
          refusal = refuse(
            'unknown_host',
            404,
            'This server does not answer for that host name (ui.server_name).',
          );
        }
      } else if (host === null || !(isLocal(host, request) || allowed(host))) {
        const shown =
          host === null ? 'a missing or malformed Host' : `the host name '${host.hostname.slice(0, 100)}'`;
        refusal = refuse(
          'host_not_allowed',
          421,
          `This server does not answer for ${shown}: without ui.server_name it answers only for this ` +
            "machine's own names and addresses. Add the name to ui.allowed_hosts (MELTANO_UI_ALLOWED_HOSTS, " +
            'comma-separated) or set ui.server_name (MELTANO_UI_SERVER_NAME).',
        );
      }
      if (refusal === null) return;
      return reply.status(refusal.status).header('Cache-Control', 'no-store').send(refusal.body);
    });
  },
  { name: 'host-check' },
);
