// Clients of /runs/{id}/log/stream that read like the log viewer: they count the lines delivered, the
// lag of each marker line (written → received), and any gap, duplicate or unexpected end.
import { setMaxListeners } from 'node:events';
import type { Pool } from 'undici';
import { parseMarker } from './followed-runs.js';
import type { SoakStats } from './route-stats.js';

const ROUTE = 'GET /runs/{id}/log/stream';
const SPEC = { route: ROUTE, expect: [200] } as const;

interface SseEvent {
  event: string;
  data: string;
  id: string | null;
}

/**
 * Splits a text/event-stream into events (blank-line separated `event:`/`data:`/`id:` fields; comments
 * and `retry:` ignored). The server's events are that simple; eventsource-parser's `source` export
 * condition would make this workspace compile its TypeScript sources.
 */
function sseParser(onEvent: (e: SseEvent) => void) {
  let buffer = '';
  return (text: string) => {
    buffer += text;
    let end = buffer.indexOf('\n\n');
    while (end !== -1) {
      const e: SseEvent = { event: 'message', data: '', id: null };
      const data: string[] = [];
      for (const line of buffer.slice(0, end).split('\n')) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') e.event = value;
        else if (field === 'data') data.push(value);
        else if (field === 'id') e.id = value;
      }
      buffer = buffer.slice(end + 2);
      if (data.length > 0) onEvent({ ...e, data: data.join('\n') });
      end = buffer.indexOf('\n\n');
    }
  };
}

export interface FollowerFigures {
  lines: number;
  lags: number[];
  gaps: number;
  duplicates: number;
  reconnects: number;
}

class Follower {
  lastSeq = -1;
  #position = 0;
  #partial = '';

  constructor(
    readonly runId: number,
    private readonly cookie: string,
    private readonly figures: FollowerFigures,
    private readonly stats: SoakStats,
  ) {}

  async run(pool: Pool, signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const path = `/api/v1/runs/${this.runId}/log/stream?offset=${this.#position}`;
      const started = performance.now();
      try {
        const res = await pool.request({
          method: 'GET',
          path,
          headers: { cookie: this.cookie, accept: 'text/event-stream' },
          signal,
        });
        if (res.statusCode !== 200) {
          this.stats.answer(SPEC, path, res.statusCode, performance.now() - started, await res.body.text());
          await new Promise((r) => setTimeout(r, 1000));
          continue;
        }
        this.stats.answer(SPEC, path, 200, performance.now() - started);
        const decoder = new TextDecoder();
        const feed = sseParser((e) => this.#onEvent(e, path));
        for await (const chunk of res.body) feed(decoder.decode(chunk as Buffer, { stream: true }));
        if (!signal.aborted) this.stats.failure(ROUTE, path, 'the server ended the stream of a running run');
      } catch (err) {
        if (signal.aborted) return;
        this.stats.failure(ROUTE, path, `stream broke: ${(err as Error).message}`);
      }
      if (!signal.aborted) {
        this.figures.reconnects++;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  }

  #onEvent(e: SseEvent, path: string): void {
    if (e.event === 'log') {
      const { text } = JSON.parse(e.data) as { offset: number; text: string };
      if (e.id) this.#position = Number(e.id);
      const lines = (this.#partial + text).split('\n');
      this.#partial = lines.pop() ?? '';
      const receivedAt = Date.now();
      for (const line of lines) {
        this.figures.lines++;
        const marker = parseMarker(line);
        if (!marker) continue;
        this.figures.lags.push(receivedAt - marker.writtenAt);
        if (marker.seq <= this.lastSeq) this.figures.duplicates++;
        else this.figures.gaps += marker.seq - this.lastSeq - 1;
        this.lastSeq = Math.max(this.lastSeq, marker.seq);
      }
    } else if (e.event === 'end' || e.event === 'error' || e.event === 'reset') {
      this.stats.failure(ROUTE, path, `unexpected '${e.event}' event: ${e.data.slice(0, 200)}`);
    }
  }
}

/** `perRun` followers on each run id, each with one of the session cookies, until `stop()`. */
export function startFollowers(
  pool: Pool,
  stats: SoakStats,
  runIds: number[],
  perRun: number,
  cookies: string[],
) {
  const figures: FollowerFigures = { lines: 0, lags: [], gaps: 0, duplicates: 0, reconnects: 0 };
  const controller = new AbortController();
  // Every follower's request listens on this one signal.
  setMaxListeners(perRun * runIds.length + 10, controller.signal);
  const followers = runIds.flatMap((id, r) =>
    Array.from(
      { length: perRun },
      (_, i) => new Follower(id, cookies[(r * perRun + i) % cookies.length]!, figures, stats),
    ),
  );
  const done = Promise.all(followers.map((f) => f.run(pool, controller.signal)));
  return {
    figures,
    followers,
    /** Resets the lag and line figures after the warm-up (sequence tracking carries on). */
    resetFigures() {
      figures.lines = 0;
      figures.lags = [];
      figures.gaps = 0;
      figures.duplicates = 0;
      figures.reconnects = 0;
    },
    async stop() {
      controller.abort();
      await done;
    },
  };
}
