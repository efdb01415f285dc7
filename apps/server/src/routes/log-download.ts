import type { FileHandle } from 'node:fs/promises';
import { RangeNotSatisfiableError } from '@meltano-ui/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import parseRange from 'range-parser';

/**
 * Sends an opened log as a text/plain attachment, a single `Range` as 206, from the handle itself
 * (never re-opened by name, so the file checked is the file sent). The handle is closed when the
 * transfer ends or fails. Several ranges, or one that cannot be parsed, get the whole file, as
 * @fastify/static does.
 */
export async function sendLogFile(
  request: FastifyRequest,
  reply: FastifyReply,
  handle: FileHandle,
  filename: string,
): Promise<FastifyReply> {
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (err) {
    await handle.close();
    throw err;
  }
  reply
    .type('text/plain; charset=utf-8')
    .header('Accept-Ranges', 'bytes')
    .header('Content-Disposition', `attachment; filename="${filename}"`);
  let start = 0;
  let end = size - 1;
  const range = request.headers.range;
  if (range !== undefined) {
    const ranges = parseRange(size, range, { combine: true });
    if (ranges === -1) {
      await handle.close();
      reply.header('Content-Range', `bytes */${size}`);
      throw new RangeNotSatisfiableError(size);
    }
    const only = ranges !== -2 && ranges.type === 'bytes' && ranges.length === 1 ? ranges[0] : undefined;
    if (only) {
      ({ start, end } = only);
      reply.status(206).header('Content-Range', `bytes ${start}-${end}/${size}`);
    }
  }
  if (size === 0) {
    await handle.close();
    return reply.header('Content-Length', '0').send('');
  }
  reply.header('Content-Length', String(end - start + 1));
  // autoClose: the stream closes the handle at its end, on an error and when the client goes away.
  return reply.send(handle.createReadStream({ start, end, autoClose: true }));
}
