import { appendFile, mkdir, rm, symlink, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidInputError, PathOutsideRootError } from '../../src/errors.js';
import { type FollowChunk, followLog } from '../../src/logs/follow-log.js';
import { tempDir } from './fixtures.js';

/** Follows `file` and lets a test await what has arrived so far. */
function follow(file: string, fromOffset: number, pollMs?: number) {
  const chunks: FollowChunk[] = [];
  const errors: Error[] = [];
  const controller = new AbortController();
  let wake: () => void = () => {};
  followLog(file, {
    fromOffset,
    signal: controller.signal,
    ...(pollMs === undefined ? {} : { pollMs }),
    onData: (chunk) => {
      chunks.push(chunk);
      wake();
    },
    onError: (err) => errors.push(err),
  });
  /** Text received since the last restart at offset 0 (or since the start). */
  const text = () => {
    let from = 0;
    chunks.forEach((c, i) => {
      if (c.offset === 0) from = i;
    });
    return chunks
      .slice(from)
      .map((c) => c.text)
      .join('');
  };
  const until = async (predicate: () => boolean, timeoutMs = 1000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; got ${JSON.stringify(chunks)} errors ${errors.join(', ')}`);
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, Math.min(left, 50));
      });
    }
  };
  return { chunks, errors, text, until, stop: () => controller.abort() };
}

describe('followLog', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let stops: Array<() => void>;
  beforeEach(async () => {
    ({ dir, cleanup } = await tempDir());
    stops = [];
  });
  afterEach(async () => {
    for (const stop of stops) stop();
    await cleanup();
  });
  const start = (...args: Parameters<typeof follow>) => {
    const f = follow(...args);
    stops.push(f.stop);
    return f;
  };

  it('delivers appended lines within a second with the default poll, with contiguous offsets', async () => {
    const file = path.join(dir, 'elt.log');
    await writeFile(file, 'already shown\n');
    const f = start(file, 14);
    await appendFile(file, 'second\n');
    await f.until(() => f.text() === 'second\n');
    await appendFile(file, 'third é\n');
    await f.until(() => f.text() === 'second\nthird é\n');
    expect(f.chunks[0]).toEqual({ offset: 14, length: 7, text: 'second\n' });
    for (let i = 1; i < f.chunks.length; i += 1) {
      const prev = f.chunks[i - 1] as FollowChunk;
      expect(f.chunks[i]?.offset).toBe(prev.offset + prev.length);
    }
    expect(f.errors).toEqual([]);
  });

  it('catches up on a backlog larger than one read block', async () => {
    const file = path.join(dir, 'elt.log');
    const backlog = 'x'.repeat(99).concat('\n').repeat(30_000); // 3 MB
    await writeFile(file, backlog);
    const f = start(file, 0);
    await f.until(() => f.text().length === backlog.length);
    expect(f.text()).toBe(backlog);
    expect(f.chunks.length).toBeGreaterThan(1);
  });

  it('waits for a file that does not exist yet, even in a folder that does not exist yet', async () => {
    const file = path.join(dir, 'elt.log');
    const f = start(file, 0);
    await sleep(20);
    await writeFile(file, 'created later\n');
    await f.until(() => f.text() === 'created later\n');

    const nested = path.join(dir, 'elt', 'job', 'run', 'elt.log');
    const g = start(nested, 0, 50);
    await mkdir(path.dirname(nested), { recursive: true });
    await writeFile(nested, 'nested\n');
    await g.until(() => g.text() === 'nested\n');
  });

  it('restarts at offset 0 when the file is truncated', async () => {
    const file = path.join(dir, 'elt.log');
    await writeFile(file, 'old old old\n');
    const f = start(file, 12, 50);
    await appendFile(file, 'more\n');
    await f.until(() => f.text() === 'more\n');
    await truncate(file, 0);
    await f.until(() => f.chunks.some((c) => c.offset === 0));
    await appendFile(file, 'new\n');
    await f.until(() => f.text() === 'new\n');
    expect(f.chunks.at(-1)?.offset).toBe(0);
  });

  it('holds back a half-written character until it is complete', async () => {
    const file = path.join(dir, 'elt.log');
    await writeFile(file, '');
    const f = start(file, 0, 50);
    const rocket = Buffer.from('🚀\n');
    await appendFile(file, Buffer.concat([Buffer.from('go '), rocket.subarray(0, 2)]));
    await f.until(() => f.text() === 'go ');
    await appendFile(file, rocket.subarray(2));
    await f.until(() => f.text() === 'go 🚀\n');
    expect(f.chunks.map((c) => c.text).join('')).not.toContain('\ufffd');
  });

  it('moves a fromOffset inside a character back to its start', async () => {
    const file = path.join(dir, 'elt.log');
    await writeFile(file, 'aé\n');
    const f = start(file, 2, 50);
    await f.until(() => f.text() === 'é\n');
    expect(f.chunks[0]?.offset).toBe(1);
  });

  it('delivers nothing after the signal aborts', async () => {
    const file = path.join(dir, 'elt.log');
    await writeFile(file, '');
    const f = start(file, 0, 20);
    await appendFile(file, 'before\n');
    await f.until(() => f.text() === 'before\n');
    f.stop();
    const seen = f.chunks.length;
    await appendFile(file, 'after\n');
    await sleep(150); // several poll periods: proving absence needs some wait
    expect(f.chunks.length).toBe(seen);
  });

  it('does nothing for an already aborted signal and rejects a bad offset', () => {
    const file = path.join(dir, 'elt.log');
    const chunks: FollowChunk[] = [];
    followLog(file, {
      fromOffset: 0,
      signal: AbortSignal.abort(),
      onData: (c) => {
        chunks.push(c);
      },
    });
    expect(chunks).toEqual([]);
    expect(() =>
      followLog(file, { fromOffset: -1, signal: new AbortController().signal, onData: () => {} }),
    ).toThrow(InvalidInputError);
  });

  it('reads no further while the consumer has not taken the last chunk (back-pressure)', async () => {
    const file = path.join(dir, 'elt.log');
    await writeFile(file, Buffer.alloc(8 * 1024 * 1024, 'x\n'));
    const chunks: FollowChunk[] = [];
    const releases: Array<() => void> = [];
    let arrived: () => void = () => {};
    const controller = new AbortController();
    stops.push(() => controller.abort());
    followLog(file, {
      fromOffset: 0,
      signal: controller.signal,
      onData: (chunk) => {
        chunks.push(chunk);
        arrived();
        return new Promise<void>((resolve) => releases.push(resolve));
      },
    });
    const next = () => new Promise<void>((resolve) => (arrived = resolve));
    await next();
    // Watch events and poll ticks go on meanwhile; none may read past the chunk still held.
    await sleep(300);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]?.length).toBeLessThanOrEqual(128 * 1024);
    const second = next();
    releases.shift()?.();
    await second;
    expect(chunks).toHaveLength(2);
    expect(chunks[1]?.offset).toBe((chunks[0]?.offset ?? 0) + (chunks[0]?.length ?? 0));
  });

  it('with roots, refuses a log swapped for a symlink leading outside, and delivers none of it', async () => {
    const logs = path.join(dir, 'logs');
    await mkdir(logs);
    const file = path.join(logs, 'elt.log');
    const outside = path.join(dir, 'outside.log');
    await writeFile(file, 'inside\n');
    await writeFile(outside, 'inside\nOUTSIDE-MARKER\n');
    const chunks: FollowChunk[] = [];
    const errors: Error[] = [];
    const controller = new AbortController();
    stops.push(() => controller.abort());
    let wake: () => void = () => {};
    followLog(file, {
      fromOffset: 0,
      signal: controller.signal,
      pollMs: 10,
      roots: [{ dir: logs, kind: 'project' }],
      onData: (chunk) => {
        chunks.push(chunk);
        wake();
      },
      onError: (err) => {
        errors.push(err);
        wake();
      },
    });
    while (chunks.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    await rm(file);
    await symlink(outside, file);
    while (errors.length === 0) await new Promise<void>((resolve) => (wake = resolve));
    expect(errors[0]).toBeInstanceOf(PathOutsideRootError);
    expect(chunks.map((c) => c.text).join('')).not.toContain('OUTSIDE');
  });
});
