import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CoreError, NotFoundError, streamRecordSeries } from '@meltano-ui/core';
import { Type } from 'typebox';
import { errorResponses } from '../schemas/common.js';
import { IdParams } from './runs.js';

const StreamRecordsQuery = Type.Object({
  state_id: Type.Array(Type.String({ minLength: 1, maxLength: 900 }), { minItems: 1, maxItems: 200 }),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 30 })),
});

export const runMetricsRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core } = fastify;

  fastify.get(
    '/runs/records-by-stream',
    {
      config: { access: 'read' },
      schema: {
        tags: ['runs'],
        summary:
          'Records per stream of the newest runs of some state IDs (a pipeline’s records-per-run chart), from the stored figures: a run whose log was not read yet is `known: false` and is read in the background',
        querystring: StreamRecordsQuery,
        response: { 200: Type.Ref('StreamRecords'), ...errorResponses(400, 503) },
      },
    },
    async (request) => {
      const { state_id, limit } = request.query;
      const page = await core.db.runs.list({ state_ids: state_id }, { cursor: null, limit: limit ?? 30 });
      const streams = await core.runMetrics.streamsFor(page.items).catch((err: unknown) => {
        // The runs still chart, as unknown: the UI's table may be unreadable (a read-only SQLite file).
        request.log.warn({ err }, 'could not read the stream records of runs');
        return new Map();
      });
      return streamRecordSeries(page.items, streams);
    },
  );

  fastify.get(
    '/runs/:id/metrics',
    {
      config: { access: 'read' },
      schema: {
        tags: ['runs'],
        summary:
          "What a run moved, from the Singer METRIC lines of its elt.log: records per stream, HTTP requests per endpoint, sync durations, batches (a running run's figures grow as its log does)",
        params: IdParams,
        response: { 200: Type.Ref('RunMetrics'), ...errorResponses(404, 503) },
      },
    },
    async (request) => {
      const run = await core.db.runs.get(request.params.id);
      if (!run) throw new NotFoundError('run', `No run with id ${request.params.id}`);
      try {
        // Only what the log gained since the stored figures is read.
        return await core.runMetrics.metricsFor(run);
      } catch (err) {
        if (err instanceof CoreError) throw err;
        request.log.warn({ err, run_id: run.id }, 'could not read the metrics of a run');
        throw new CoreError(
          'run_metrics_unavailable',
          503,
          'The metrics of this run cannot be read just now (its log or the UI’s tables could not be read)',
        );
      }
    },
  );
};
