import type { ServerResponse } from 'node:http';

export interface SseWriterOptions {
  /** A socket that takes nothing for this long while bytes wait is closed. */
  stallTimeoutMs: number;
  onStall: () => void;
}

/**
 * Server-Sent Events on one response, with back-pressure: `send` resolves once the socket has taken
 * what is buffered (at once while it keeps up), so a producer that awaits it never holds more than
 * one event beyond the socket's own buffer. A client that stops reading is dropped after
 * `stallTimeoutMs` instead of holding its buffer (and a log handle) for ever.
 */
export class SseWriter {
  private waiters: Array<() => void> = [];
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly opts: SseWriterOptions,
  ) {
    res.on('drain', () => this.release());
    res.on('close', () => this.release());
  }

  get closed(): boolean {
    return this.res.writableEnded || this.res.destroyed;
  }

  /** Writes one event (`id` is the byte offset a client resumes from); resolves when drained or closed. */
  send(event: string, data: unknown, id?: number): Promise<void> {
    const idLine = id === undefined ? '' : `id: ${id}\n`;
    return this.write(`${idLine}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  /** Raw SSE lines (`retry:`, comments). */
  write(text: string): Promise<void> {
    if (this.closed) return Promise.resolve();
    if (this.res.write(text)) return Promise.resolve();
    this.stallTimer ??= setTimeout(() => {
      this.stallTimer = undefined;
      this.opts.onStall();
      this.res.destroy();
    }, this.opts.stallTimeoutMs);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** A keep-alive comment, only when nothing is waiting (a stalled socket needs no more bytes). */
  keepalive(): void {
    if (!this.closed && this.res.writableLength === 0) this.res.write(': keepalive\n\n');
  }

  end(): void {
    if (!this.closed) this.res.end();
  }

  destroy(): void {
    this.res.destroy();
  }

  private release(): void {
    clearTimeout(this.stallTimer);
    this.stallTimer = undefined;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
