import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError } from '@meltano-ui/core';
import { Type } from 'typebox';
import { errorResponses } from '../schemas/common.js';
import { RunPage, RunStatus } from '../schemas/run.js';
import { withCachedRunFacts, withRunFacts } from './run-facts.js';

const RunsQuery = Type.Object({
  state_id: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 900 }), { maxItems: 200 })),
  status: Type.Optional(Type.Array(RunStatus, { maxItems: 4 })),
  trigger: Type.Optional(Type.String({ maxLength: 200 })),
  since: Type.Optional(Type.String({ format: 'date-time', description: 'started_at >= since' })),
  until: Type.Optional(Type.String({ format: 'date-time', description: 'started_at < until' })),
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
});

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 53 - 1 }) });

export const runRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core, launcher } = fastify;

  fastify.get(
    '/runs',
    {
      config: { access: 'read' },
      schema: {
        tags: ['runs'],
        summary: 'Run history across the project, newest first (STATE_EDIT rows are not runs)',
        querystring: RunsQuery,
        response: { 200: RunPage, ...errorResponses(400, 503) },
      },
    },
    async (request) => {
      const q = request.query;
      const page = await core.db.runs.list(
        {
          ...(q.state_id ? { state_ids: q.state_id } : {}),
          ...(q.status ? { statuses: q.status } : {}),
          ...(q.trigger ? { trigger: q.trigger } : {}),
          ...(q.since ? { since: new Date(q.since).toISOString() } : {}),
          ...(q.until ? { until: new Date(q.until).toISOString() } : {}),
        },
        { cursor: q.cursor ?? null, limit: q.limit ?? 50 },
      );
      return { ...page, items: await withCachedRunFacts(core, page.items, request.log) };
    },
  );

  fastify.get(
    '/runs/:id',
    {
      config: { access: 'read' },
      schema: {
        tags: ['runs'],
        summary: 'One run by its runs.id, with any cancel asked for it through this UI',
        params: IdParams,
        response: { 200: Type.Ref('RunDetail'), ...errorResponses(404, 503) },
      },
    },
    async (request) => {
      const run = await core.db.runs.get(request.params.id);
      if (!run) throw new NotFoundError('run', `No run with id ${request.params.id}`);
      // The run is Meltano's and shows even when the UI's own tables cannot be read or created (a
      // read-only SQLite file): it then has no cancel request to show.
      const launch = await launcher.forRun(run).catch(() => null);
      const cancel_request =
        launch?.cancel_requested_at == null
          ? null
          : {
              launch_id: launch.id,
              requested_at: launch.cancel_requested_at,
              requested_by: launch.cancel_requested_by,
              acted_at: launch.cancel_acted_at,
              owner_replica_id: launch.replica_id,
              owner_host: launch.host,
            };
      return { ...(await withRunFacts(core, run, request.log)), cancel_request };
    },
  );
};
