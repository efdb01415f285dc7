import { type AuditEntry, auditOutcome, CoreError, type Principal } from '@meltano-ui/core';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * Adds safe details to this request's audit entry (run options, a setting's name and store…),
     * never a secret value; `actor` names who signed in, `pipeline` the schedule or job concerned.
     */
    audit(details: Record<string, unknown>, about?: { actor?: string; pipeline?: string }): void;
    auditNotes: AuditNotes | null;
  }
}

interface AuditNotes {
  details: Record<string, unknown>;
  actor?: string;
  pipeline?: string;
}

export interface AuditOptions {
  /** `<ui.base_path>/api/v1`: every change under it is recorded. */
  apiPrefix: string;
  /** `ui.base_path`: taken off the route pattern, so actions read the same behind any base path. */
  basePath: string;
}

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);
const MAX_VALUE = 255;

/** `token:<name>` for an API token, the user name for a session, else `anonymous`. */
export function auditActor(principal: Principal | null | undefined): string {
  if (principal?.kind !== 'user') return 'anonymous';
  return principal.via === 'token' ? `token:${principal.tokenName}` : principal.user.username;
}

/** `POST /api/v1/schedules/:name/run` → `POST /api/v1/schedules/{name}/run`, as the OpenAPI document. */
export function auditAction(method: string, routeUrl: string): string {
  return `${method} ${routeUrl.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
}

const clip = (text: string) => (text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE)}…` : text);

function routeParams(request: FastifyRequest): Record<string, string> {
  const params = (request.params ?? {}) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) out[key] = clip(String(value));
  return out;
}

/**
 * Records every change asked of the API (every route under it that is not a read), answered or
 * refused, once answered: who, from where, the route pattern, its parameters, the status, and safe
 * details (the names of the body's fields, never their values, and what the route added with
 * `request.audit`). The write is queued: the answer never waits for it nor fails with it.
 */
export const audit = fp(
  async (fastify: FastifyInstance, opts: AuditOptions) => {
    const log = fastify.core.audit;
    const unsubscribe = log.onFailure((what, err) => {
      const reason = err instanceof Error ? err.message : String(err);
      const code = err instanceof CoreError ? err.code : undefined;
      fastify.log.warn(
        { event: `audit_${what}_failed`, ...(code ? { code } : {}), reason },
        what === 'write' ? 'could not write an audit log entry' : 'could not purge old audit log entries',
      );
    });
    fastify.addHook('onClose', async () => unsubscribe());

    // A reference-typed decoration would be shared by every request; each request sets its own.
    fastify.decorateRequest('auditNotes', null);
    fastify.decorateRequest(
      'audit',
      function (this: FastifyRequest, details: Record<string, unknown>, about = {}) {
        const notes = this.auditNotes ?? { details: {} };
        this.auditNotes = { ...notes, ...about, details: { ...notes.details, ...details } };
      },
    );

    fastify.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url;
      if (route === undefined || READS.has(request.method)) return;
      if (!(route === opts.apiPrefix || route.startsWith(`${opts.apiPrefix}/`))) return;
      const action = auditAction(request.method, route.slice(opts.basePath.length));
      const target = routeParams(request);
      const notes = request.auditNotes;
      const body = request.body;
      const bodyFields =
        body !== null && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body).sort() : null;
      const principal = request.principal;
      const pipelineRoute = /^(POST|PATCH|DELETE) \/api\/v1\/(schedules|jobs)\/\{name\}/.test(action);
      const entry: AuditEntry = {
        at: fastify.core.now().toISOString(),
        actor: clip(notes?.actor ?? auditActor(principal)),
        client_ip: request.ip ? request.ip.slice(0, 64) : null,
        action,
        target,
        pipeline: notes?.pipeline ?? (pipelineRoute ? (target.name ?? null) : null),
        status: reply.statusCode,
        outcome: auditOutcome(reply.statusCode),
        details: {
          ...(bodyFields && bodyFields.length > 0 ? { body_fields: bodyFields } : {}),
          ...(principal?.kind === 'user' && principal.via === 'token'
            ? { user: principal.user.username }
            : {}),
          ...notes?.details,
        },
      };
      log.record(entry);
    });
  },
  { name: 'audit', dependencies: ['core-services', 'authentication'] },
);
