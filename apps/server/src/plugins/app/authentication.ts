import fastifyCookie from '@fastify/cookie';
import {
  type AuthConfig,
  type AuthService,
  createAuthService,
  createLoginThrottle,
  effectiveRole,
  InvalidApiTokenError,
  type LoginThrottle,
  type Principal,
  type UiUser,
} from '@meltano-ui/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sessionCookie } from './session-cookie.js';

declare module 'fastify' {
  interface FastifyInstance {
    auth: {
      config: AuthConfig;
      service: AuthService;
      throttle: LoginThrottle;
      /** Signs `user` in: a fresh session id (never the one the request came with) in a new cookie. */
      startSession(request: FastifyRequest, reply: FastifyReply, user: UiUser): Promise<void>;
      /** The token of the request's validly signed session cookie, if any. */
      sessionToken(request: FastifyRequest): string | null;
      /** Destroys the request's session server-side and clears the cookie. */
      endSession(request: FastifyRequest, reply: FastifyReply): Promise<void>;
    };
  }
  interface FastifyRequest {
    /** Who is asking; resolved for every API route that is not `public`. */
    principal: Principal;
  }
}

export interface AuthenticationOptions {
  config: AuthConfig;
  throttle?: LoginThrottle;
}

const ANONYMOUS: Principal = { kind: 'anonymous' };
const FREE: Principal = { kind: 'free' };

function client(request: FastifyRequest) {
  return { ip: request.ip, userAgent: request.headers['user-agent']?.slice(0, 500) ?? null };
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header === undefined) return null;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? '';
}

/**
 * Who is asking: everyone is the free user when ui.authentication is off; otherwise an API token
 * (`Authorization: Bearer`), else the signed session cookie, else anonymous.
 */
export const authentication = fp(
  async (fastify: FastifyInstance, opts: AuthenticationOptions) => {
    const { config } = opts;
    await fastify.register(fastifyCookie, { secret: config.secrets.secretKey });
    const service = createAuthService({
      db: fastify.core.db,
      passwordSalt: config.secrets.passwordSalt,
      legacyPasswordSalt: config.secrets.legacyPasswordSalt,
    });
    const cookie = sessionCookie(config);

    fastify.decorate('auth', {
      config,
      service,
      throttle: opts.throttle ?? createLoginThrottle(),
      async startSession(request, reply, user) {
        const old = cookie.read(request);
        if (old !== null) await service.logout(old);
        const created = await service.createSession(user.id, client(request));
        cookie.write(request, reply, created.token, created.session.absolute_expires_at);
      },
      sessionToken: (request) => cookie.read(request),
      async endSession(request, reply) {
        const token = cookie.read(request);
        if (token !== null) await service.logout(token);
        cookie.clear(request, reply);
      },
    });
    // Expired sessions are refused when presented; this keeps the table from growing with them.
    if (config.authentication) {
      const purge = setInterval(() => void service.purgeExpiredSessions().catch(() => {}), 60 * 60 * 1000);
      purge.unref();
      fastify.addHook('onClose', async () => clearInterval(purge));
    }
    // A reference-typed decoration would be shared by every request; each request sets its own.
    fastify.decorateRequest<Principal | null>('principal', null);

    fastify.addHook('onRequest', async (request, reply) => {
      request.principal = ANONYMOUS;
      const { access, identifies } = request.routeOptions.config;
      if ((access === 'public' || access === undefined) && identifies !== true) {
        return;
      }
      if (!config.authentication) {
        request.principal = FREE;
        return;
      }
      const bearer = bearerToken(request);
      if (bearer !== null) {
        const found = bearer === '' ? null : await service.resolveApiToken(bearer);
        if (found === null) throw new InvalidApiTokenError();
        request.principal = {
          kind: 'user',
          user: found.user,
          role: effectiveRole(found.user.roles),
          via: 'token',
        };
        return;
      }
      const token = cookie.read(request);
      if (token === null) return;
      const canRotate = request.routeOptions.config.streams !== true;
      const resolved = await service.resolveSession(token, client(request), canRotate);
      if (resolved === null) {
        cookie.clear(request, reply);
        return;
      }
      if (resolved.rotated) {
        cookie.write(request, reply, resolved.rotated.token, resolved.rotated.session.absolute_expires_at);
      }
      request.principal = {
        kind: 'user',
        user: resolved.user,
        role: effectiveRole(resolved.user.roles),
        via: 'session',
      };
    });
  },
  { name: 'authentication', dependencies: ['core-services'] },
);
