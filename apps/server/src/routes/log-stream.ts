import type { ServerResponse } from 'node:http';
import type { CoreContext, RunView } from '@meltano-ui/core';
import { fileSystemError, findRunLog, followLog } from '@meltano-ui/core';
import type { FastifyBaseLogger } from 'fastify';
import { withRunFacts } from './run-facts.js';
import { SseWriter } from './sse-writer.js';

const STATUS_POLL_MS = 1000;
const KEEPALIVE_MS = 15_000;
// Meltano beats every few seconds; passing each beat on would be noise, but the viewer shows the
// heartbeat's age, so a fresh one is sent at this pace.
const HEARTBEAT_EVENT_MS = 5000;
/** How long a browser waits before it reconnects after a `reconnect` event (the server restarts). */
export const RECONNECT_RETRY_MS = 3000;

export interface LogStreamOptions {
  run: RunView;
  fromOffset: number;
  signal: AbortSignal;
  /** A client that reads nothing for this long while bytes wait for it is disconnected. */
  stallTimeoutMs: number;
  log: FastifyBaseLogger;
  /** How this caller may see a file's path (absolute for admins only). */
  showPath: (absolute: string) => string;
}

/** One open live-log stream, as the route's shutdown sees it. */
export interface LogStream {
  /** Tells the browser to reconnect (from its last offset) and ends the response. */
  endForShutdown(): void;
  /** Drops the connection (a client that did not take the last event in time). */
  destroy(): void;
}

/**
 * Streams a run's elt.log from `fromOffset` as `log` events (pushed as the file grows, and only as
 * fast as the client takes them), `run` events when the run's status changes (or its heartbeat, at
 * most every 5 s), and `end` once a finished run's log has been sent in full. On shutdown a
 * `reconnect` event (with a `retry:` hint) tells the browser to come back from its last offset.
 */
export function streamRunLog(core: CoreContext, res: ServerResponse, opts: LogStreamOptions): LogStream {
  const { signal } = opts;
  let run = opts.run;
  let position = opts.fromOffset;
  let file: string | null = null;
  let lastDataAt = Date.now();
  let lastRunEventAt = Date.now();
  let sentHeartbeat = run.last_heartbeat_at;
  const follow = new AbortController();
  signal.addEventListener('abort', () => follow.abort(), { once: true });
  const sse = new SseWriter(res, {
    stallTimeoutMs: opts.stallTimeoutMs,
    onStall: () =>
      opts.log.warn(
        { run: run.id, offset: position },
        `Closed a live-log stream whose client took nothing for ${opts.stallTimeoutMs} ms`,
      ),
  });

  void sse.write('retry: 2000\n\n');
  void sse.send('run', run);

  const startFollowing = (path: string) => {
    file = path;
    followLog(path, {
      fromOffset: position,
      signal: follow.signal,
      // Every re-open is checked again on the descriptor: a folder swapped for a link outside the
      // logs root after the lookup is refused, not read.
      roots: core.logRoots,
      onData: async (chunk) => {
        if (chunk.offset < position) void sse.send('reset', { offset: chunk.offset });
        position = chunk.offset + chunk.length;
        lastDataAt = Date.now();
        // Awaited: the follower reads the next block only once the socket took this one.
        await sse.send('log', { offset: chunk.offset, text: chunk.text }, position);
      },
      onError: (err) => void sse.send('error', readError(err, path, opts.showPath)),
    });
  };

  const stop = () => {
    clearTimeout(timer);
    clearInterval(keepalive);
    follow.abort();
  };

  const finish = (reason: string) => {
    void sse.send('end', { reason, offset: position });
    stop();
    sse.end();
  };

  const tick = async () => {
    if (signal.aborted) return;
    try {
      if (file === null && run.run_id !== null) {
        const found = await findRunLog(core.logRoots, run.state_id, run.run_id);
        if (found !== null && !signal.aborted) startFollowing(found);
      }
      const latest = await core.db.runs.get(run.id);
      if (latest) {
        const beat =
          latest.last_heartbeat_at !== sentHeartbeat && Date.now() - lastRunEventAt >= HEARTBEAT_EVENT_MS;
        if (latest.status !== run.status || beat) {
          void sse.send('run', await withRunFacts(core, latest, opts.log));
          lastRunEventAt = Date.now();
          sentHeartbeat = latest.last_heartbeat_at;
        }
        run = latest;
      }
      const finished = run.status === 'success' || run.status === 'failed';
      // Give the follower a moment to deliver the last bytes Meltano wrote before it ended the run.
      if (finished && Date.now() - lastDataAt > 1500)
        return finish(file === null ? 'no_log' : 'run_finished');
    } catch (err) {
      if (signal.aborted) return;
      void sse.send('error', { code: 'status_unavailable', message: (err as Error).message });
    }
    if (!signal.aborted) timer = setTimeout(tick, STATUS_POLL_MS);
  };
  let timer = setTimeout(tick, 0);
  const keepalive = setInterval(() => sse.keepalive(), KEEPALIVE_MS);
  signal.addEventListener(
    'abort',
    () => {
      stop();
      sse.end();
    },
    { once: true },
  );

  return {
    endForShutdown() {
      stop();
      void sse.write(`retry: ${RECONNECT_RETRY_MS}\n\n`);
      void sse.send('reconnect', {
        reason: 'server_shutdown',
        offset: position,
        retry_ms: RECONNECT_RETRY_MS,
      });
      sse.end();
    },
    destroy: () => sse.destroy(),
  };
}

/** The `error` event for a failed read: a stable code, and the file only as this caller may see it. */
function readError(err: Error, file: string, showPath: (absolute: string) => string) {
  const system = fileSystemError(err, 'open', file);
  if (system !== null) return { code: system.code, message: system.messageNaming(showPath(file)) };
  const errno = (err as NodeJS.ErrnoException).code;
  return { code: 'log_unreadable', message: `The log could not be read${errno ? ` (${errno})` : ''}` };
}
