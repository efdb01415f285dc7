import { API_ROOT, queryString } from '../../../lib/api-client';
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
 * last text received), so nothing is lost or repeated across a dropped connection. Returns a
 * function that closes the stream.
 */
export function openLogStream(id: number, offset: number, handlers: LogStreamHandlers): () => void {
  const source = new EventSource(`${API_ROOT}/runs/${id}/log/stream${queryString({ offset })}`);
  let closed = false;
  const close = () => {
    closed = true;
    source.close();
    handlers.onState('closed');
  };
  const data = (event: Event): unknown => JSON.parse((event as MessageEvent<string>).data);

  handlers.onState('connecting');
  source.addEventListener('open', () => handlers.onState('open'));
  source.addEventListener('log', (event) => {
    const { offset: at, text } = data(event) as { offset: number; text: string };
    handlers.onLog(at, text, Number((event as MessageEvent).lastEventId));
  });
  source.addEventListener('run', (event) => handlers.onRun(data(event) as Run));
  source.addEventListener('reset', () => handlers.onReset());
  source.addEventListener('end', (event) => {
    // The server closes after `end`; without closing here EventSource would reconnect.
    close();
    handlers.onEnd((data(event) as { reason: string }).reason);
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
  return () => {
    if (!closed) close();
  };
}
