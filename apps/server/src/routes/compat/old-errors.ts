import { CoreError } from '@meltano-ui/core';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';

export const OLD_UNAUTHORIZED = 'Authentication is required to access this resource.';
export const OLD_FORBIDDEN = 'You do not have the required permissions.';

/** The old UI's error body: the message is the `code` (its client shows `code` in a toast). */
export const OldError = Type.Object(
  { error: Type.Literal(true), code: Type.String() },
  { description: "The old Meltano UI's error body: `code` holds the message" },
);
/** flask-restful's error body (subscriptions, ACL). */
export const OldMessage = Type.Object({ message: Type.String() }, { additionalProperties: true });
const OldText = Type.String({ description: 'text/html, as the old Meltano UI answered' });

/** Response schemas of the old error answers, by status. */
export function oldErrors(...statuses: number[]) {
  const schemas: Record<number, unknown> = {};
  for (const status of statuses) {
    schemas[status] = status === 401 || status === 403 ? Type.Union([OldText, OldError]) : OldError;
  }
  return schemas;
}

/** Thrown by a compat route to answer with exactly `body` and `status` (flask-restful shapes). */
export class OldAnswer extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`old answer ${status}`);
  }
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** How the compat route's 403 looked in the old UI (flask-restful resources differed). */
    oldForbidden?: unknown;
  }
}

function messageOf(err: Error): string {
  return err.message.length > 0 ? err.message : 'Something went wrong on the server; see its log';
}

/**
 * The compat routes' error handler: the old UI's bodies (401/403 as text, 499 and the rest as
 * `{error, code}`), but the status codes of our own rules (a bad request is a 4xx, never a 500).
 */
export function oldErrorHandler() {
  return (err: FastifyError | CoreError | Error, request: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof OldAnswer) return reply.status(err.status).send(err.body);
    const status =
      err instanceof CoreError
        ? err.status
        : typeof (err as FastifyError).statusCode === 'number'
          ? ((err as FastifyError).statusCode as number)
          : 500;
    if (status === 401) {
      return reply.status(401).type('text/html; charset=utf-8').send(OLD_UNAUTHORIZED);
    }
    if (status === 403 && err instanceof CoreError && err.code === 'permission_denied') {
      const forbidden = request.routeOptions.config.oldForbidden;
      if (typeof forbidden === 'string') return reply.status(403).type('application/json').send(forbidden);
      if (forbidden !== undefined) return reply.status(403).send(forbidden);
      return reply.status(403).type('text/html; charset=utf-8').send(OLD_FORBIDDEN);
    }
    if (status >= 500) {
      if (err instanceof CoreError && err.status < 600) {
        request.log.warn({ code: err.code, msg: err.message }, 'core error');
        return reply.status(err.status).send({ error: true, code: messageOf(err) });
      }
      request.log.error({ err }, 'unhandled error');
      return reply.status(500).send({ error: true, code: 'Something went wrong on the server; see its log' });
    }
    // Read-only refusals: the old message is our code (core keeps it so for scripts matching on it).
    if (status === 499 && err instanceof CoreError)
      return reply.status(499).send({ error: true, code: err.code });
    const fe = err as FastifyError;
    const message = fe.validation
      ? `Invalid ${fe.validationContext ?? 'request'}: ${fe.message}`
      : messageOf(err);
    return reply.status(status).send({ error: true, code: message });
  };
}

/**
 * For our own routes the old UI shared (GET /identity): a caller that speaks the old API (it sends
 * `X-JSON-SCHEME`, as the old client and scripts written for it do) gets the old 401 text; anyone else
 * our JSON error, from the app's handler.
 */
export function oldUnauthorizedFor(fastify: FastifyInstance) {
  return (err: FastifyError | CoreError | Error, request: FastifyRequest, reply: FastifyReply) => {
    const status = err instanceof CoreError ? err.status : (err as FastifyError).statusCode;
    if (status === 401 && request.headers['x-json-scheme'] !== undefined) {
      return reply.status(401).type('text/html; charset=utf-8').send(OLD_UNAUTHORIZED);
    }
    return fastify.errorHandler(err as FastifyError, request, reply);
  };
}
