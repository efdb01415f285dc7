import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { describeInterval, nextRunTimes } from '@meltano-ui/core';
import { Type } from 'typebox';
import { errorResponses, Nullable, Timestamp } from '../schemas/common.js';

const IntervalPreview = Type.Object({
  interval: Type.String({ description: 'As given' }),
  valid: Type.Boolean({ description: 'Whether Meltano accepts it as a schedule interval' }),
  description: Type.String({ description: 'Plain-language meaning, e.g. "Every 15 minutes (UTC)"' }),
  cron: Nullable(
    Type.String({ description: "Meltano's `cron_interval`: null for @once, @manual, @none (and invalid)" }),
  ),
  next_runs: Type.Array(Timestamp, { description: 'The next times it fires (UTC); empty without a cron' }),
  error: Type.Optional(Type.String({ description: 'Why the interval is not valid' })),
});

/** Lets a schedule editor show what an interval means and when it would fire, before saving it. */
export const intervalRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  fastify.get(
    '/intervals/preview',
    {
      config: { access: 'read' },
      schema: {
        tags: ['pipelines'],
        summary: "An interval's meaning and its next run times, as the schedules list would compute them",
        querystring: Type.Object({
          interval: Type.String({
            minLength: 1,
            maxLength: 200,
            description: 'A cron expression or @daily, …',
          }),
          count: Type.Optional(
            Type.Integer({ minimum: 1, maximum: 20, default: 5, description: 'How many run times' }),
          ),
        }),
        response: { 200: IntervalPreview, ...errorResponses(400) },
      },
    },
    async (request) => {
      const { interval, count = 5 } = request.query;
      const now = fastify.core.now();
      const info = describeInterval(interval, now);
      return {
        interval,
        valid: info.valid,
        description: info.description,
        cron: info.cron,
        next_runs: nextRunTimes(interval, count, now),
        ...(info.valid ? {} : { error: info.description }),
      };
    },
  );
};
