import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  InvalidInputError,
  numberChunk,
  readLogChunk,
  readLogFromLine,
  readLogTail,
  requireRunLogFile,
  runLogFile,
  searchLog,
} from '@meltano-ui/core';
import type { Static } from 'typebox';
import { Type } from 'typebox';
import { errorResponses } from '../schemas/common.js';
import { LogChunk, LogQuery, LogSearchQuery, LogSearchResult } from '../schemas/log.js';
import { streamRunLog } from './log-stream.js';
import { IdParams } from './runs.js';

const DEFAULT_TAIL_LINES = 1000;

/** The one read a `/log` query asks for; the ways to ask are exclusive. */
async function readRequestedChunk(file: string, q: Static<typeof LogQuery>) {
  const ways = [
    q.tail !== undefined,
    q.offset !== undefined,
    q.end !== undefined || q.from_end === true,
    q.line !== undefined,
  ];
  if (ways.filter(Boolean).length > 1) {
    throw new InvalidInputError(
      'Ask for one of: `tail` lines, a byte range (`offset`, or `end`/`from_end`), or a `line`',
    );
  }
  const length = q.length ? { length: q.length } : {};
  if (q.line !== undefined) return readLogFromLine(file, { line: q.line, ...length });
  const chunk =
    q.offset !== undefined
      ? await readLogChunk(file, { offset: q.offset, ...length })
      : q.end !== undefined
        ? await readLogChunk(file, { end: q.end, ...length })
        : q.from_end
          ? await readLogChunk(file, { fromEnd: true, ...length })
          : await readLogTail(file, { lines: q.tail ?? DEFAULT_TAIL_LINES });
  return numberChunk(file, chunk);
}

export const runLogRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { core } = fastify;
  const streams = new Set<AbortController>();
  fastify.addHook('onClose', async () => {
    for (const s of streams) s.abort();
  });

  fastify.get(
    '/runs/:id/log',
    {
      config: { access: 'read' },
      schema: {
        tags: ['runs'],
        summary:
          "A part of the run's elt.log: the last `tail` lines (default 1000), `length` bytes at `offset`, " +
          'before `end` or at the end (`from_end`), or from the start of a `line`; each with `first_line`',
        params: IdParams,
        querystring: LogQuery,
        response: { 200: LogChunk, ...errorResponses(400, 404, 416, 503) },
      },
    },
    async (request) => {
      const { file } = await requireRunLogFile(core.db, core.logRoots, request.params.id);
      const chunk = await readRequestedChunk(file, request.query);
      return { run: request.params.id, ...chunk };
    },
  );

  fastify.get(
    '/runs/:id/log/search',
    {
      config: { access: 'read' },
      schema: {
        tags: ['runs'],
        summary: "The next or previous match in the run's elt.log, searched on the server",
        description:
          'Reads at most 32 MiB per request: with no match yet, `resume_from` says where to continue ' +
          '(pass it as `from`), so a search through a huge file is a series of short requests.',
        params: IdParams,
        querystring: LogSearchQuery,
        response: { 200: LogSearchResult, ...errorResponses(400, 404, 416, 503) },
      },
    },
    async (request) => {
      const { file } = await requireRunLogFile(core.db, core.logRoots, request.params.id);
      const q = request.query;
      const result = await searchLog(file, {
        kind: q.kind ?? 'text',
        direction: q.direction ?? 'forward',
        ...(q.q === undefined ? {} : { query: q.q }),
        ...(q.from === undefined ? {} : { from: q.from }),
        ...(q.from_line === undefined ? {} : { fromLine: q.from_line }),
      });
      return { run: request.params.id, ...result };
    },
  );

  fastify.get(
    '/runs/:id/log/stream',
    {
      config: { access: 'read', streams: true },
      schema: {
        tags: ['runs'],
        summary: 'Live log as Server-Sent Events from a byte offset (`offset` or `Last-Event-ID` resumes)',
        description:
          'Events: `log` {offset, text} with id = the byte offset after the text; `run` (the run, when its ' +
          'status or heartbeat changes); `reset` (the file was truncated or replaced: reload it); `end` ' +
          '(the run finished and its log was sent); `error` {code, message} (a read failed; the stream goes on).',
        params: IdParams,
        querystring: Type.Object({
          offset: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
        }),
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
        'Cache-Control': 'no-store, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      streamRunLog(core, reply.raw, { run, fromOffset, signal: controller.signal });
    },
  );

  fastify.get(
    '/runs/:id/log/download',
    {
      config: { access: 'read' },
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
