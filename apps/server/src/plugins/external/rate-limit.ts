import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import { TooManyRequestsError } from '@meltano-ui/core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Requests one client (by IP, behind `ui.forwarded_allow_ips` the forwarded one) may make per window.
 * Counted in memory, per server process: behind a load balancer with N replicas a client gets up to N
 * times these. That is accepted for these load guards; sign-in throttling, which guards passwords, is
 * counted in the system database and shared by every replica (ui_login_attempts).
 */
export interface RateLimit {
  max: number;
  timeWindowMs: number;
}

export interface RateLimits {
  /** `/runs/{id}/log`: the viewer pages through a log with these, so the limit is generous. */
  logRead: RateLimit;
  /** `/runs/{id}/log/search`: one search through a huge file is a series of 32 MiB steps. */
  logSearch: RateLimit;
  /** `/runs/{id}/log/download`. */
  logDownload: RateLimit;
  /** Answers of the not-found handler other than the web app's pages (probing for URLs). */
  notFound: RateLimit;
  /** `/deployments/compare`: each one fetches from the Git remote. */
  gitFetch: RateLimit;
  /** The GitHub webhook: unauthenticated until its HMAC over the whole body is computed. */
  webhook: RateLimit;
  /** Single sign-on's login and callback: unauthenticated, each one writes or reads a flow row. */
  sso: RateLimit;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  logRead: { max: 1200, timeWindowMs: 60_000 },
  logSearch: { max: 600, timeWindowMs: 60_000 },
  logDownload: { max: 60, timeWindowMs: 60_000 },
  notFound: { max: 120, timeWindowMs: 60_000 },
  gitFetch: { max: 30, timeWindowMs: 60_000 },
  webhook: { max: 300, timeWindowMs: 60_000 },
  sso: { max: 120, timeWindowMs: 60_000 },
};

declare module 'fastify' {
  interface FastifyInstance {
    /** The limits routes opt into with `config: { rateLimit: rateLimitOf(fastify.rateLimits.x) }`. */
    rateLimits: RateLimits;
  }
}

/** A limit as @fastify/rate-limit's route config wants it. */
export function rateLimitOf(limit: RateLimit) {
  return { max: limit.max, timeWindow: limit.timeWindowMs };
}

/**
 * @fastify/rate-limit, applied only where a route opts in (costly log reads) and to 404s; its 429
 * is our JSON error (`rate_limited`, with Retry-After). Sign-in has its own throttle.
 */
export const rateLimit = fp(
  async (fastify: FastifyInstance, opts: { limits?: Partial<RateLimits> }) => {
    fastify.decorate('rateLimits', { ...DEFAULT_RATE_LIMITS, ...opts.limits });
    await fastify.register(fastifyRateLimit, {
      global: false,
      // The limiter's own key is normalizeIP(ip), which asks node:net's isIPv6 first. V8 compiles
      // that large regular expression on first use and again whenever garbage collection has
      // dropped the compiled code, which it does to code unused for a few collections: 2-5 ms
      // for the first limited request after a quiet spell (a first log tail). A colon is in every
      // IPv6 address and in no IPv4 one, so only IPv6 clients go through it; the keys are the same.
      keyGenerator: (request) =>
        request.ip.includes(':') ? normalizeIP(request.ip) : request.ip.toLowerCase(),
      errorResponseBuilder: (_request, context) => {
        const seconds = Math.max(1, Math.ceil(context.ttl / 1000));
        return new TooManyRequestsError(
          'rate_limited',
          `Too many requests: at most ${context.max} per ${context.after}; try again in ${seconds} s`,
          seconds,
        );
      },
    });
  },
  { name: 'rate-limit' },
);
