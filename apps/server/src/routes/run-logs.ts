import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  InvalidInputError,
  readLogChunk,
  readLogTail,
  requireRunLogFile,
  runLogFile,
} from '@meltano-ui/core';
import { Type } from 'typebox';
import { errorResponses } from '../schemas/common.js';
import { LogChunk, LogQuery } from '../schemas/log.js';
import { streamRunLog } from './log-stream.js';
import { IdParams } from './runs.js';

const DEFAULT_TAIL_LINES = 1000;

export const runLogRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core } = fastify;
  const streams = new Set<AbortController>();
  fastify.addHook('onClose', async () => {
    for (const s of streams) s.abort();
  });

  fastify.get(
    '/runs/:id/log',
    {
      schema: {
        tags: ['runs'],
        summary:
          "A part of the run's elt.log: the last `tail` lines (default 1000), or `length` bytes at `offset` or before `end`",
        params: IdParams,
        querystring: LogQuery,
        response: { 200: LogChunk, ...errorResponses(400, 404, 416, 503) },
      },
    },
    async (request) => {
      const { file } = await requireRunLogFile(core.db, core.logRoots, request.params.id);
      const q = request.query;
      if (q.tail !== undefined && (q.offset !== undefined || q.end !== undefined || q.from_end)) {
        throw new InvalidInputError(
          'Ask for either `tail` lines or a byte range (`offset`, `end`, `from_end`), not both',
        );
      }
      const length = q.length ? { length: q.length } : {};
      const chunk =
        q.tail !== undefined || (q.offset === undefined && q.end === undefined && !q.from_end)
          ? await readLogTail(file, { lines: q.tail ?? DEFAULT_TAIL_LINES })
          : q.offset !== undefined
            ? await readLogChunk(file, { offset: q.offset, ...length })
            : q.end !== undefined
              ? await readLogChunk(file, { end: q.end, ...length })
              : await readLogChunk(file, { fromEnd: true, ...length });
      return { run: request.params.id, ...chunk };
    },
  );

  fastify.get(
    '/runs/:id/log/stream',
    {
      schema: {
        tags: ['runs'],
        summary: 'Live log as Server-Sent Events from a byte offset (`offset` or `Last-Event-ID` resumes)',
        description:
          'Events: `log` {offset, text} with id = the byte offset after the text; `run` (the run, when its ' +
          'status changes); `reset` (the file was truncated); `end` (the run finished and its log was sent).',
        params: IdParams,
        querystring: Type.Object({ offset: Type.Optional(Type.Integer({ minimum: 0 })) }),
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })) }),
        response: { ...errorResponses(400, 404, 503) },
      },
    },
    async (request, reply) => {
      const { run } = await runLogFile(core.db, core.logRoots, request.params.id);
      const lastEventId = request.headers['last-event-id'];
      const fromOffset = lastEventId !== undefined ? Number(lastEventId) : (request.query.offset ?? 0);
      const controller = new AbortController();
      streams.add(controller);
      request.raw.on('close', () => {
        controller.abort();
        streams.delete(controller);
      });
      reply.hijack();
      reply.raw.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      streamRunLog(core, reply.raw, { run, fromOffset, signal: controller.signal });
    },
  );

  fastify.get(
    '/runs/:id/log/download',
    {
      schema: {
        tags: ['runs'],
        summary: 'The whole elt.log as text/plain (Range requests supported)',
        params: IdParams,
        response: { ...errorResponses(404, 416, 503) },
      },
    },
    async (request, reply) => {
      const { run, file } = await requireRunLogFile(core.db, core.logRoots, request.params.id);
      const name = `${run.state_id.replace(/[^A-Za-z0-9_.-]/g, '_')}-${run.id}-elt.log`;
      reply.header('Content-Disposition', `attachment; filename="${name}"`);
      return reply.sendFile(path.basename(file), path.dirname(file), {
        cacheControl: false,
        dotfiles: 'allow',
      });
    },
  );
};
