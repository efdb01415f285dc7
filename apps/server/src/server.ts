import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { type AuthConfig, type CoreContext, type LoginThrottleRules, loadAuthConfig } from '@meltano-ui/core';
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';
import Fastify from 'fastify';
import { type AppOptions, app } from './app.js';
import type { RouteAccess } from './plugins/app/access-control.js';

export interface BuildServerOptions {
  core: CoreContext;
  /** Built SPA folder; defaults to apps/web/dist of this workspace; null for API only. */
  webRoot?: string | null;
  logger?: FastifyServerOptions['logger'];
  launcher?: AppOptions['launcher'];
  loginThrottle?: LoginThrottleRules;
}

/**
 * `ui.forwarded_allow_ips` as Fastify's trustProxy: `*` trusts every peer, otherwise the listed IPs
 * and CIDR ranges (X-Forwarded-For is walked back to the first untrusted hop).
 */
export function trustProxyOption(allowIps: string[]): boolean | string[] {
  if (allowIps.includes('*')) return true;
  return allowIps.length === 0 ? false : allowIps;
}

/** apps/web/dist, found from this file whether it runs from src/ or dist/. */
export function defaultWebRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist');
}

/**
 * The server for a project: reads the auth settings (throws AuthSecretsError when authentication is on
 * with unfit secrets) and serves everything under `ui.base_path`.
 */
export async function buildServer(opts: BuildServerOptions) {
  const auth: AuthConfig = await loadAuthConfig({ root: opts.core.root, settings: opts.core.settings });
  const fastify = Fastify({
    logger: opts.logger ?? false,
    bodyLimit: 1024 * 1024,
    trustProxy: trustProxyOption(auth.forwardedAllowIps),
    genReqId: () => crypto.randomUUID(),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: true, useDefaults: true } },
    routerOptions: { maxParamLength: 1000 },
    // Errors raised before routing (bad URL encoding, over-long parameters) get our JSON shape too.
    frameworkErrors: (error: FastifyError, _request: FastifyRequest, reply: FastifyReply) => {
      reply.status(400).send({ error: true, code: 'invalid_request', message: error.message });
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  const routeAccess: RouteAccess[] = [];
  fastify.decorate('routeAccess', routeAccess);
  await fastify.register(app, {
    routeAccess,
    prefix: auth.basePath,
    core: opts.core,
    auth,
    ...(opts.loginThrottle ? { loginThrottle: opts.loginThrottle } : {}),
    webRoot: opts.webRoot === undefined ? defaultWebRoot() : opts.webRoot,
    ...(opts.launcher ? { launcher: opts.launcher } : {}),
  });
  return fastify;
}
