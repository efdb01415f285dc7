import { apiUrl } from '../../../lib/api-client';
import type { Run } from '../../../lib/api-types';

export type LogStreamState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface LogStreamHandlers {
  /** Text appended to the file at byte `offset`; `end` is the byte after it. */
  onLog(offset: number, text: string, end: number): void;
  onRun(run: Run): void;
  /** The file shrank or was replaced: what is shown is no longer what is on disk. */
  onReset(): void;
  /** The run finished and everything it wrote was sent (`no_log`: it never wrote a log). */
  onEnd(reason: string): void;
  /** A read failed on the server; the stream goes on. */
  onProblem(message: string): void;
  onState(state: LogStreamState): void;
}

/**
 * Follows a run's log over Server-Sent Events from byte `offset` (GET /runs/{id}/log/stream).
 * EventSource reconnects by itself and resumes from the last event id (the byte offset after the
 * last text received), so nothing is lost or repeated across a dropped connection. When the server
 * shuts down it sends `reconnect`: the stream is then opened anew, after the delay it asks for, from
 * the offset after the last text received (a restarted server has no memory of this client). Returns
 * a function that closes the stream.
 */
export function openLogStream(id: number, offset: number, handlers: LogStreamHandlers): () => void {
  let source: EventSource;
  let resumeFrom = offset;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const close = () => {
    closed = true;
    clearTimeout(retry);
    source.close();
    handlers.onState('closed');
  };
  const data = (event: Event): unknown => JSON.parse((event as MessageEvent<string>).data);

  const connect = (from: number) => {
    source = new EventSource(apiUrl('/api/v1/runs/{id}/log/stream', { id }, { offset: from }));
    source.addEventListener('open', () => handlers.onState('open'));
    source.addEventListener('log', (event) => {
      const { offset: at, text } = data(event) as { offset: number; text: string };
      const end = Number((event as MessageEvent).lastEventId);
      resumeFrom = end;
      handlers.onLog(at, text, end);
    });
    source.addEventListener('run', (event) => handlers.onRun(data(event) as Run));
    source.addEventListener('reset', () => handlers.onReset());
    source.addEventListener('end', (event) => {
      // The server closes after `end`; without closing here EventSource would reconnect.
      close();
      handlers.onEnd((data(event) as { reason: string }).reason);
    });
    source.addEventListener('reconnect', (event) => {
      const { retry_ms: wait } = data(event) as { retry_ms?: number };
      source.close();
      handlers.onState('reconnecting');
      retry = setTimeout(() => {
        if (!closed) connect(resumeFrom);
      }, wait ?? 3000);
    });
    source.addEventListener('error', (event) => {
      if (closed) return;
      // The server's own `error` events carry data; the browser's connection errors do not.
      if (event instanceof MessageEvent && typeof event.data === 'string') {
        handlers.onProblem((data(event) as { message: string }).message);
        return;
      }
      if (source.readyState === EventSource.CLOSED) close();
      else handlers.onState('reconnecting');
    });
  };

  handlers.onState('connecting');
  connect(offset);
  return () => {
    if (!closed) close();
  };
}
