import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  filterLog,
  type LogLineFilter,
  type LogLineLevel,
  type LogLineSource,
  type LogLineStdio,
  pluginSources,
} from '@meltano-ui/core';
import { rateLimitOf } from '../plugins/external/rate-limit.js';
import { errorResponses } from '../schemas/common.js';
import { FilteredLog, LogLinesQuery } from '../schemas/log.js';
import { loadedProject } from './load-project.js';
import { withRunLog } from './run-logs.js';
import { IdParams } from './runs.js';

/** The schema's pattern has checked every item, so the split is a list of the type's values. */
const split = <T extends string>(list: string | undefined): T[] | undefined =>
  list === undefined ? undefined : (list.split(',') as T[]);

/** `/runs/{id}/log/lines`: the lines of a run's log that pass a level/source/stdio filter. */
export const logLineRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core, heavyWork, rateLimits } = fastify;
  fastify.get(
    '/runs/:id/log/lines',
    {
      config: { access: 'read', rateLimit: rateLimitOf(rateLimits.logSearch) },
      schema: {
        tags: ['runs'],
        summary:
          "The lines of the run's elt.log that pass a filter, with their line numbers in the whole file",
        description:
          'Reads at most 32 MiB per request, from the end backward (or forward from `after`): when ' +
          '`complete` is false, continue with `before=start` (or `after=end`). Source and level come ' +
          "from Meltano's line format; Meltano 4 logs name the plugin only, whose type is looked up in the project.",
        params: IdParams,
        querystring: LogLinesQuery,
        response: { 200: FilteredLog, ...errorResponses(400, 404, 416, 429, 503) },
      },
    },
    async (request) => {
      const q = request.query;
      const filter: LogLineFilter = {};
      const levels = split<LogLineLevel>(q.level);
      const sources = split<LogLineSource>(q.source);
      const stdios = split<LogLineStdio>(q.stdio);
      if (levels) filter.levels = levels;
      if (sources) filter.sources = sources;
      if (stdios) filter.stdios = stdios;
      // A project that does not load still has readable logs; v4 plugin lines then count as Meltano's.
      const plugins = await loadedProject(fastify).then(
        (project) => pluginSources(project.plugins),
        () => new Map(),
      );
      const result = await heavyWork.run(() =>
        withRunLog(core, request.params.id, ({ handle }) =>
          filterLog(handle, {
            filter,
            plugins,
            ...(q.before === undefined ? {} : { before: q.before }),
            ...(q.after === undefined ? {} : { after: q.after }),
            ...(q.limit === undefined ? {} : { limit: q.limit }),
          }),
        ),
      );
      return { run: request.params.id, ...result };
    },
  );
};
