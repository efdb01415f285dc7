import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { AuditFilters as CoreAuditFilters } from '@meltano-ui/core';
import type { Static } from 'typebox';
import { Type } from 'typebox';
import { AuditFilters } from '../schemas/audit.js';
import { errorResponses, Nullable } from '../schemas/common.js';

const tags = ['audit'];

function filtersOf(query: Static<typeof AuditFilters>): CoreAuditFilters {
  const iso = (text: string | undefined) => (text === undefined ? undefined : new Date(text).toISOString());
  const since = iso(query.since);
  const until = iso(query.until);
  return {
    ...(query.actor ? { actor: query.actor } : {}),
    ...(query.action ? { action: query.action } : {}),
    ...(query.pipeline ? { pipeline: query.pipeline } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
  };
}

/** The audit log (core audit): admins only, read-only; the log is written by the audit plugin. */
export const auditRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const log = fastify.core.audit;

  fastify.get(
    '/audit',
    {
      config: { access: 'admin-read' },
      schema: {
        tags,
        summary: 'Every change asked of the API, newest first: who, from where, what, the outcome',
        querystring: Type.Object({
          ...AuditFilters.properties,
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(Type.Ref('AuditEntry')),
            next_cursor: Nullable(Type.String()),
          }),
          ...errorResponses(400),
        },
      },
    },
    async (request) => {
      const page = await log.page(
        filtersOf(request.query),
        request.query.cursor ?? null,
        request.query.limit ?? 50,
      );
      return page;
    },
  );

  fastify.get(
    '/audit/export',
    {
      config: { access: 'admin-read' },
      schema: {
        tags,
        summary: 'The audit log as JSON lines (application/x-ndjson), newest first, with the same filters',
        querystring: AuditFilters,
        produces: ['application/x-ndjson'],
        response: {
          200: Type.String({ description: 'One AuditEntry per line' }),
          ...errorResponses(400),
        },
      },
    },
    async (request, reply) => {
      const entries = log.entries(filtersOf(request.query));
      const lines = Readable.from(
        (async function* () {
          for await (const entry of entries) yield `${JSON.stringify(entry)}\n`;
        })(),
      );
      const day = fastify.core.now().toISOString().slice(0, 10);
      return reply
        .type('application/x-ndjson; charset=utf-8')
        .header('Content-Disposition', `attachment; filename="meltano-ui-audit-${day}.jsonl"`)
        .send(lines as never);
    },
  );
};
