import type { FileHandle } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  type CoreContext,
  InvalidInputError,
  numberChunk,
  openRunLog,
  readLogChunk,
  readLogFromLine,
  readLogTail,
  runLogFile,
  searchLog,
} from '@meltano-ui/core';
import type { Static } from 'typebox';
import { Type } from 'typebox';
import { rateLimitOf } from '../plugins/external/rate-limit.js';
import { errorResponses } from '../schemas/common.js';
import { LogChunk, LogQuery, LogSearchQuery, LogSearchResult } from '../schemas/log.js';
import { sendLogFile } from './log-download.js';
import { type LogStream, streamRunLog } from './log-stream.js';
import { IdParams } from './runs.js';
import { pathShower } from './shown-path.js';

const DEFAULT_TAIL_LINES = 1000;
/** A log answer with more text than this is made over several event-loop turns (see /runs/:id/log). */
const YIELD_ABOVE_CHARS = 1024 * 1024;
// How long shutdown waits for streams to flush their `reconnect` event before dropping them.
const SHUTDOWN_FLUSH_MS = 1000;

export interface RunLogRoutesOptions {
  /** A live-log client that takes nothing for this long while bytes wait is disconnected. Default 60 s. */
  streamStallTimeoutMs?: number;
}

/** The one read a `/log` query asks for; the ways to ask are exclusive. */
async function readRequestedChunk(file: FileHandle, q: Static<typeof LogQuery>) {
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

/** Runs `read` on the run's log, opened and verified by core, and closes it after. */
export async function withRunLog<T>(
  core: CoreContext,
  id: number,
  read: (log: Awaited<ReturnType<typeof openRunLog>>) => Promise<T>,
): Promise<T> {
  const log = await openRunLog(core.db, core.logRoots, id);
  try {
    return await read(log);
  } finally {
    await log.handle.close();
  }
}

export const runLogRoutes: FastifyPluginAsyncTypebox<RunLogRoutesOptions> = async (fastify, opts) => {
  const { core, heavyWork, rateLimits } = fastify;
  const stallTimeoutMs = opts.streamStallTimeoutMs ?? 60_000;
  const streams = new Map<LogStream, Promise<void>>();
  // Before the server stops listening (which waits for every connection): each stream tells its
  // browser to reconnect and ends; one that cannot flush that in time (a client that never reads)
  // is dropped, so shutdown never waits on a client.
  fastify.addHook('preClose', async () => {
    const closing = [...streams.entries()];
    for (const [stream] of closing) stream.endForShutdown();
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, SHUTDOWN_FLUSH_MS);
    });
    await Promise.race([Promise.all(closing.map(([, closed]) => closed)), grace]);
    clearTimeout(timer);
    for (const [stream] of closing) stream.destroy();
  });

  fastify.get(
    '/runs/:id/log',
    {
      config: { access: 'read', rateLimit: rateLimitOf(rateLimits.logRead) },
      schema: {
        tags: ['runs'],
        summary:
          "A part of the run's elt.log: the last `tail` lines (default 1000), `length` bytes at `offset`, " +
          'before `end` or at the end (`from_end`), or from the start of a `line`; each with `first_line`',
        params: IdParams,
        querystring: LogQuery,
        response: { 200: LogChunk, ...errorResponses(400, 404, 416, 429, 503) },
      },
    },
    async (request, reply) => {
      // A chunk can be 100,000 lines (~10 MB of text full of quotes). Made into the answer's bytes
      // inside the heavy-work slot, so the slots bound the memory too, and one step per event-loop
      // turn: with four such answers finishing together the loop was held ~400 ms (health probes
      // waited). The compiled serializer escapes a string one character at a time; V8's
      // JSON.stringify does it natively. The answer is built field by field from LogChunk.
      const body = await heavyWork.run(async () => {
        const chunk = await withRunLog(core, request.params.id, ({ handle }) =>
          readRequestedChunk(handle, request.query),
        );
        const answer: Static<typeof LogChunk> = {
          run: request.params.id,
          offset: chunk.offset,
          length: chunk.length,
          size: chunk.size,
          eof: chunk.eof,
          first_line: chunk.first_line,
          ...('lines' in chunk && typeof chunk.lines === 'number' ? { lines: chunk.lines } : {}),
          text: chunk.text,
        };
        // Small answers (a page of the viewer) go at once: each turn given away also runs a step of
        // the background line count that the first read of a log starts.
        const big = chunk.text.length > YIELD_ABOVE_CHARS;
        if (big) await nextTurn();
        const json = JSON.stringify(answer);
        if (big) await nextTurn();
        return Buffer.from(json);
      });
      return reply.type('application/json; charset=utf-8').send(body as never);
    },
  );

  fastify.get(
    '/runs/:id/log/search',
    {
      config: { access: 'read', rateLimit: rateLimitOf(rateLimits.logSearch) },
      schema: {
        tags: ['runs'],
        summary: "The next or previous match in the run's elt.log, searched on the server",
        description:
          'Reads at most 32 MiB per request: with no match yet, `resume_from` says where to continue ' +
          '(pass it as `from`), so a search through a huge file is a series of short requests.',
        params: IdParams,
        querystring: LogSearchQuery,
        response: { 200: LogSearchResult, ...errorResponses(400, 404, 416, 429, 503) },
      },
    },
    async (request) => {
      const q = request.query;
      const result = await heavyWork.run(() =>
        withRunLog(core, request.params.id, ({ handle }) =>
          searchLog(handle, {
            kind: q.kind ?? 'text',
            direction: q.direction ?? 'forward',
            ...(q.q === undefined ? {} : { query: q.q }),
            ...(q.from === undefined ? {} : { from: q.from }),
            ...(q.from_line === undefined ? {} : { fromLine: q.from_line }),
          }),
        ),
      );
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
          '(the run finished and its log was sent); `error` {code, message} (a read failed; the stream goes on); ' +
          '`reconnect` {reason, offset, retry_ms} (the server is shutting down: reconnect after `retry_ms` ' +
          'from the last offset received). Events are sent as fast as the client reads them; a client that ' +
          'reads nothing for a minute is disconnected.',
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
      let closed: () => void = () => {};
      const whenClosed = new Promise<void>((resolve) => {
        closed = resolve;
      });
      reply.hijack();
      reply.raw.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      const stream = streamRunLog(core, reply.raw, {
        run,
        fromOffset,
        signal: controller.signal,
        stallTimeoutMs,
        log: request.log,
        showPath: pathShower(request),
      });
      streams.set(stream, whenClosed);
      fastify.metrics.streamOpened(reply.raw);
      reply.raw.on('close', () => {
        controller.abort();
        streams.delete(stream);
        closed();
      });
    },
  );

  fastify.get(
    '/runs/:id/log/download',
    {
      config: { access: 'read', rateLimit: rateLimitOf(rateLimits.logDownload) },
      schema: {
        tags: ['runs'],
        summary: 'The whole elt.log as text/plain (Range requests supported)',
        params: IdParams,
        response: { ...errorResponses(404, 416, 429, 503) },
      },
    },
    async (request, reply) => {
      // Finding and opening count as heavy work; the transfer itself goes at the client's pace.
      const { run, handle } = await heavyWork.run(() =>
        openRunLog(core.db, core.logRoots, request.params.id),
      );
      const name = `${run.state_id.replace(/[^A-Za-z0-9_.-]/g, '_')}-${run.id}-elt.log`;
      return sendLogFile(request, reply, handle, name);
    },
  );
};
