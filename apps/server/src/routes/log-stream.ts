import type { ServerResponse } from 'node:http';
import type { CoreContext, RunView } from '@meltano-ui/core';
import { findRunLog, followLog } from '@meltano-ui/core';

const STATUS_POLL_MS = 1000;
const KEEPALIVE_MS = 15_000;
// Meltano beats every few seconds; passing each beat on would be noise, but the viewer shows the
// heartbeat's age, so a fresh one is sent at this pace.
const HEARTBEAT_EVENT_MS = 5000;

/** Writes one Server-Sent Event. `id` is the byte offset the client resumes from. */
function send(res: ServerResponse, event: string, data: unknown, id?: number) {
  res.write(`${id === undefined ? '' : `id: ${id}\n`}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

/**
 * Streams a run's elt.log from `fromOffset` as `log` events (pushed as the file grows), `run` events
 * when the run's status changes (or its heartbeat, at most every 5 s), and `end` once a finished
 * run's log has been sent in full.
 */
export function streamRunLog(
  core: CoreContext,
  res: ServerResponse,
  opts: { run: RunView; fromOffset: number; signal: AbortSignal },
) {
  const { signal } = opts;
  let run = opts.run;
  let position = opts.fromOffset;
  let file: string | null = null;
  let lastDataAt = Date.now();
  let lastRunEventAt = Date.now();
  let sentHeartbeat = run.last_heartbeat_at;
  const follow = new AbortController();
  signal.addEventListener('abort', () => follow.abort(), { once: true });

  res.write('retry: 2000\n\n');
  send(res, 'run', run);

  const startFollowing = (path: string) => {
    file = path;
    followLog(path, {
      fromOffset: position,
      signal: follow.signal,
      onData: (chunk) => {
        if (chunk.offset < position) send(res, 'reset', { offset: chunk.offset });
        position = chunk.offset + chunk.length;
        lastDataAt = Date.now();
        send(res, 'log', { offset: chunk.offset, text: chunk.text }, position);
      },
      onError: (err) => send(res, 'error', { code: 'log_unreadable', message: err.message }),
    });
  };

  const finish = (reason: string) => {
    send(res, 'end', { reason, offset: position });
    follow.abort();
    res.end();
  };

  const tick = async () => {
    if (signal.aborted) return;
    try {
      if (file === null && run.run_id !== null) {
        const found = await findRunLog(core.logRoots, run.state_id, run.run_id);
        if (found !== null) startFollowing(found);
      }
      const latest = await core.db.runs.get(run.id);
      if (latest) {
        const beat =
          latest.last_heartbeat_at !== sentHeartbeat && Date.now() - lastRunEventAt >= HEARTBEAT_EVENT_MS;
        if (latest.status !== run.status || beat) {
          send(res, 'run', latest);
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
      send(res, 'error', { code: 'status_unavailable', message: (err as Error).message });
    }
    timer = setTimeout(tick, STATUS_POLL_MS);
  };
  let timer = setTimeout(tick, 0);
  const keepalive = setInterval(() => res.write(': keepalive\n\n'), KEEPALIVE_MS);
  signal.addEventListener(
    'abort',
    () => {
      clearTimeout(timer);
      clearInterval(keepalive);
      if (!res.writableEnded) res.end();
    },
    { once: true },
  );
}
