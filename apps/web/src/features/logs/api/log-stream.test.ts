import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LogStreamHandlers } from './log-stream';

/** Just enough of EventSource: the test fires the server's events itself. */
class FakeEventSource {
  static readonly CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = 1;
  private listeners = new Map<string, Array<(event: Event) => void>>();
  constructor(readonly url: string) {
    FakeEventSource.opened.push(this);
  }
  addEventListener(type: string, listener: (event: Event) => void) {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close() {
    this.readyState = FakeEventSource.CLOSED;
  }
  emit(type: string, data: unknown, lastEventId = '') {
    const event = new MessageEvent(type, { data: JSON.stringify(data), lastEventId });
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

let openLogStream: typeof import('./log-stream').openLogStream;
beforeAll(async () => {
  vi.stubGlobal('document', { querySelector: () => null });
  vi.stubGlobal('EventSource', FakeEventSource);
  ({ openLogStream } = await import('./log-stream'));
});
afterEach(() => {
  FakeEventSource.opened = [];
  vi.useRealTimers();
});

function recordingHandlers() {
  const states: string[] = [];
  const logs: Array<[number, string, number]> = [];
  const handlers: LogStreamHandlers = {
    onLog: (offset, text, end) => logs.push([offset, text, end]),
    onRun: () => {},
    onReset: () => {},
    onEnd: () => {},
    onProblem: () => {},
    onState: (state) => states.push(state),
  };
  return { handlers, states, logs };
}

describe('openLogStream', () => {
  it('on `reconnect` (server shutdown) opens a new stream from the offset after the last text', () => {
    vi.useFakeTimers();
    const { handlers, states, logs } = recordingHandlers();
    const close = openLogStream(7, 100, handlers);
    const first = FakeEventSource.opened[0] as FakeEventSource;
    expect(first.url).toBe('/api/v1/runs/7/log/stream?offset=100');
    first.emit('log', { offset: 100, text: 'hello\n' }, '106');
    first.emit('reconnect', { reason: 'server_shutdown', offset: 106, retry_ms: 3000 });
    expect(first.readyState).toBe(FakeEventSource.CLOSED);
    expect(states.at(-1)).toBe('reconnecting');
    expect(FakeEventSource.opened).toHaveLength(1);

    vi.advanceTimersByTime(3000);
    const second = FakeEventSource.opened[1] as FakeEventSource;
    expect(second.url).toBe('/api/v1/runs/7/log/stream?offset=106');
    second.emit('log', { offset: 106, text: 'again\n' }, '112');
    expect(logs).toEqual([
      [100, 'hello\n', 106],
      [106, 'again\n', 112],
    ]);
    close();
    expect(second.readyState).toBe(FakeEventSource.CLOSED);
  });

  it('does not reconnect once closed by the page', () => {
    vi.useFakeTimers();
    const { handlers } = recordingHandlers();
    const close = openLogStream(7, 0, handlers);
    (FakeEventSource.opened[0] as FakeEventSource).emit('reconnect', { retry_ms: 1000 });
    close();
    vi.advanceTimersByTime(5000);
    expect(FakeEventSource.opened).toHaveLength(1);
  });
});
