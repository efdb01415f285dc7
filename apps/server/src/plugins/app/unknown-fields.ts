import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';

interface ObjectSchema {
  properties?: Record<string, unknown>;
  additionalProperties?: unknown;
  anyOf?: unknown[];
  oneOf?: unknown[];
}

/**
 * The keys a closed body schema declares (an object with `additionalProperties: false`, or a union of
 * such objects: any branch's key is known); null when the schema accepts any key.
 */
export function declaredKeys(schema: unknown): Set<string> | null {
  const s = schema as ObjectSchema | undefined;
  if (s === undefined || typeof s !== 'object' || s === null) return null;
  const branches = s.anyOf ?? s.oneOf;
  if (branches) {
    const keys = new Set<string>();
    for (const branch of branches) {
      const branchKeys = declaredKeys(branch);
      if (branchKeys === null) return null;
      for (const k of branchKeys) keys.add(k);
    }
    return keys;
  }
  if (s.additionalProperties !== false || s.properties === undefined) return null;
  return new Set(Object.keys(s.properties));
}

/**
 * A body key the route does not know is a 400 naming it, never silently dropped: a client that
 * misspells `intervall` must not get a 200 that ignored it. (Ajv's `removeAdditional` is off; this
 * hook names every unknown key at once, which Ajv, stopping at the first error, would not.)
 */
export const unknownFields = fp(
  async (fastify: FastifyInstance) => {
    fastify.addHook('onRoute', (route) => {
      const keys = declaredKeys(route.schema?.body);
      if (keys === null) return;
      const check = async (request: FastifyRequest, reply: FastifyReply) => {
        const body = request.body;
        if (typeof body !== 'object' || body === null || Array.isArray(body)) return;
        const unknown = Object.keys(body).filter((k) => !keys.has(k));
        if (unknown.length === 0) return;
        const shown = unknown.slice(0, 20).map((k) => k.slice(0, 100));
        return reply.status(400).send({
          error: true,
          code: 'invalid_request',
          message: `Invalid body: unknown field(s): ${shown.join(', ')}${unknown.length > 20 ? ', …' : ''}`,
          details: { unknown_fields: shown },
        });
      };
      route.preValidation = [route.preValidation ?? []].flat().concat(check);
    });
  },
  { name: 'unknown-fields' },
);
