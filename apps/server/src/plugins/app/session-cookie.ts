import { isIP } from 'node:net';
import { sign } from '@fastify/cookie';
import type { AuthConfig } from '@meltano-ui/core';
import type { FastifyReply, FastifyRequest } from 'fastify';

const NAME = 'meltano_ui_session';
// Browsers only accept a __Host- cookie that is Secure, has Path=/ and no Domain: it cannot be set
// or shadowed by a sibling subdomain or a plain-http page.
const HOST_ONLY_NAME = `__Host-${NAME}`;

/**
 * Meltano's rule: `ui.session_cookie_domain`, else `ui.server_name` without its port and with a
 * leading dot (covering subdomains); a name without a dot, or an IP address, gives a host-only cookie.
 */
export function cookieDomain(config: Pick<AuthConfig, 'sessionCookieDomain' | 'serverName'>): string | null {
  if (config.sessionCookieDomain) return config.sessionCookieDomain;
  if (!config.serverName) return null;
  const host = config.serverName.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  if (!host.includes('.') || isIP(host) !== 0) return null;
  return host.startsWith('.') ? host : `.${host}`;
}

/** A Cookie header carrying `token` as the session cookie, signed with `secretKey` as replies sign it. */
export function sessionCookieHeader(token: string, secretKey: string): string {
  return `${NAME}=${encodeURIComponent(sign(token, secretKey))}`;
}

/** The signed session cookie: HttpOnly, SameSite=Lax, Secure on https or when configured. */
export function sessionCookie(config: AuthConfig) {
  const domain = cookieDomain(config);
  const path = config.basePath === '' ? '/' : config.basePath;
  const secure = (request: FastifyRequest) => config.sessionCookieSecure || request.protocol === 'https';
  const nameFor = (request: FastifyRequest) =>
    secure(request) && domain === null && path === '/' ? HOST_ONLY_NAME : NAME;
  const options = (request: FastifyRequest) => ({
    path,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: secure(request),
    ...(domain === null ? {} : { domain }),
  });

  return {
    /** The session token of a validly signed cookie, else null. */
    read(request: FastifyRequest): string | null {
      for (const name of [HOST_ONLY_NAME, NAME]) {
        const raw = request.cookies[name];
        if (raw === undefined) continue;
        const unsigned = request.unsignCookie(raw);
        if (unsigned.valid && unsigned.value) return unsigned.value;
      }
      return null;
    },
    write(request: FastifyRequest, reply: FastifyReply, token: string, expiresAt: string): void {
      reply.setCookie(nameFor(request), token, {
        ...options(request),
        signed: true,
        expires: new Date(expiresAt),
      });
    },
    clear(request: FastifyRequest, reply: FastifyReply): void {
      for (const name of [HOST_ONLY_NAME, NAME]) {
        if (request.cookies[name] !== undefined) reply.clearCookie(name, options(request));
      }
    },
  };
}
