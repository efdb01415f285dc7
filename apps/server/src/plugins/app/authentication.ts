import fastifyCookie from '@fastify/cookie';
import {
  type AuthConfig,
  type AuthService,
  CoreError,
  createAuthService,
  effectiveRole,
  InvalidApiTokenError,
  type LoginThrottle,
  type LoginThrottleRules,
  type Principal,
  SessionUnavailableError,
  TooManyAttemptsError,
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
      /**
       * Counts one sign-in attempt for the user name and the request's IP before its password is
       * checked; over the limit, throws TooManyAttemptsError (429) with Retry-After set.
       */
      reserveAttempt(request: FastifyRequest, reply: FastifyReply, username: string): Promise<void>;
      /** Deletes expired sessions and old sign-in attempts; a failure is logged, never thrown. */
      purgeExpired(): Promise<void>;
    };
  }
  interface FastifyRequest {
    /** Who is asking; resolved for every API route that is not `public`. */
    principal: Principal;
  }
}

export interface AuthenticationOptions {
  config: AuthConfig;
  /** Sign-in attempts allowed per user name and per IP (tests pass their own). */
  loginThrottle?: LoginThrottleRules;
}

// How often expired sessions and old sign-in attempts are deleted.
const PURGE_EVERY_MS = 10 * 60 * 1000;
// A session lookup that failed (database busy or down) is worth retrying after this long.
const SESSION_RETRY_AFTER_SECONDS = 2;

/** What may go into a log line about a failure: its code and message (the DB's URI is already masked). */
function failure(err: unknown): { code?: string; reason: string } {
  const code = err instanceof CoreError ? err.code : (err as { code?: unknown } | null)?.code;
  const reason = err instanceof Error ? err.message : String(err);
  return { ...(code === undefined ? {} : { code: String(code) }), reason };
}

const ANONYMOUS: Principal = { kind: 'anonymous' };
const FREE: Principal = { kind: 'free' };
/** A lookup that failed on a public route: the caller stays anonymous. */
const UNCHECKED = Symbol('unchecked');

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
      ...(opts.loginThrottle ? { loginThrottle: opts.loginThrottle } : {}),
    });
    const cookie = sessionCookie(config);

    fastify.decorate('auth', {
      config,
      service,
      throttle: service.throttle,
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
      async reserveAttempt(request, reply, username) {
        try {
          await service.throttle.reserve(username, request.ip);
        } catch (err) {
          if (err instanceof TooManyAttemptsError) {
            request.log.warn(
              { event: 'login_throttled', username, ip: request.ip },
              'sign-in refused: too many attempts',
            );
            reply.header('Retry-After', String(err.retryAfterSeconds));
          }
          throw err;
        }
      },
      async purgeExpired() {
        await service.purgeExpired().catch((err: unknown) => {
          fastify.log.warn(
            { event: 'purge_failed', ...failure(err) },
            'could not purge expired sessions and old sign-in attempts',
          );
        });
      },
    });
    // Expired sessions are refused when presented; this keeps the tables from growing with them.
    if (config.authentication) {
      fastify.addHook('onReady', async () => {
        void fastify.auth.purgeExpired();
      });
      const purge = setInterval(() => void fastify.auth.purgeExpired(), PURGE_EVERY_MS);
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
      // A lookup that fails (database busy or down) is not "signed out": 503, cookie kept, try again.
      // A public route that only shows readers more (readiness) answers such a caller as anonymous:
      // its own 503 must say what is broken, not that the sign-in could not be checked.
      const lookup = async <T>(what: string, fn: () => Promise<T>): Promise<T | typeof UNCHECKED> => {
        try {
          return await fn();
        } catch (err) {
          request.log.warn(
            { event: `${what}_lookup_failed`, ...failure(err) },
            `could not check the ${what}`,
          );
          if (access === 'public') return UNCHECKED;
          reply.header('Retry-After', String(SESSION_RETRY_AFTER_SECONDS));
          throw new SessionUnavailableError(SESSION_RETRY_AFTER_SECONDS);
        }
      };
      const bearer = bearerToken(request);
      if (bearer !== null) {
        const found = bearer === '' ? null : await lookup('token', () => service.resolveApiToken(bearer));
        if (found === UNCHECKED) return;
        if (found === null) throw new InvalidApiTokenError();
        request.principal = {
          kind: 'user',
          user: found.user,
          role: effectiveRole(found.user.roles),
          via: 'token',
          tokenName: found.apiToken.name,
        };
        return;
      }
      const token = cookie.read(request);
      if (token === null) return;
      const canRotate = request.routeOptions.config.streams !== true;
      const resolved = await lookup('session', () =>
        service.resolveSession(token, client(request), canRotate),
      );
      if (resolved === UNCHECKED) return;
      // Only a definite "no such session, or expired, or its user disabled" signs the browser out.
      if (resolved === null) {
        cookie.clear(request, reply);
        return;
      }
      if (resolved.writeError !== undefined) {
        request.log.warn(
          { event: 'session_touch_failed', ...failure(resolved.writeError) },
          'could not record session activity; the session stays valid',
        );
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
