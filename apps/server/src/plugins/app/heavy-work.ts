import { TooManyRequestsError } from '@meltano-ui/core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import PQueue from 'p-queue';

declare module 'fastify' {
  interface FastifyInstance {
    /** The per-process gate for heavy log work (searches, tails, line numbering, download setup). */
    heavyWork: HeavyWork;
  }
}

export interface HeavyWorkOptions {
  /** Heavy jobs run at once. Default 4: the server has other requests to answer meanwhile. */
  concurrency?: number;
  /** Jobs that may wait for a slot; one more is refused with 429 `server_busy`. Default 16. */
  queue?: number;
  /** The Retry-After of that 429, in seconds. Default 2. */
  retryAfterSeconds?: number;
}

export interface HeavyWork {
  /** Runs `job` when a slot is free; throws TooManyRequestsError when the queue is full. */
  run<T>(job: () => Promise<T>): Promise<T>;
  /** Jobs running and waiting now (tests, and the log line of a refusal). */
  load(): { running: number; waiting: number };
}

/**
 * Bounds the log work one process does at a time. Each such job reads and scans up to tens of MiB
 * and decodes it into strings; twenty at once starve the event loop (health checks answer late) and
 * the heap. Past the queue the client is told to come back rather than held.
 */
export function createHeavyWork(opts: HeavyWorkOptions = {}): HeavyWork {
  const queue = new PQueue({ concurrency: opts.concurrency ?? 4 });
  const maxWaiting = opts.queue ?? 16;
  const retryAfter = opts.retryAfterSeconds ?? 2;
  return {
    run<T>(job: () => Promise<T>): Promise<T> {
      if (queue.pending >= queue.concurrency && queue.size >= maxWaiting) {
        throw new TooManyRequestsError(
          'server_busy',
          `The server is busy reading other logs; try again in ${retryAfter} s`,
          retryAfter,
        );
      }
      return queue.add(job, { throwOnTimeout: true });
    },
    load: () => ({ running: queue.pending, waiting: queue.size }),
  };
}

/** Decorates the instance with the heavy-work gate: the one given (tests hold its slots), or a new one. */
export const heavyWork = fp(
  async (fastify: FastifyInstance, opts: { gate?: HeavyWorkOptions | HeavyWork }) => {
    const given = opts.gate;
    fastify.decorate('heavyWork', given && 'run' in given ? given : createHeavyWork(given));
  },
  { name: 'heavy-work' },
);
