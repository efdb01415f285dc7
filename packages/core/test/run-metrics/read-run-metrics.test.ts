import { appendFile, open, readdir, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunMetricsProgress, readRunMetrics } from '../../src/run-metrics/read-run-metrics.js';
import { MELTANO_VERSIONS, REAL_MELTANO_DIR, tempDir } from '../logs/fixtures.js';

const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const RUN = '01a1fc64-4d97-7a11-a76c-ee7563aa2aaf';
const TS = '2026-11-21T04:36:34.560171Z';
const wrap = (message: string, name = 'tap-x', producer = true) =>
  `${TS} [info     ] ${message.padEnd(30)} cmd_type=elb consumer=${!producer ? 'True' : 'False'} job_name=dev:tap-x-to-target-y name=${name} producer=${producer ? 'True' : 'False'} run_id=${RUN} stdio=stderr string_id=${name}\n`;
const count = (n: number, stream = 'users', name = 'tap-x', producer = true) =>
  wrap(
    `METRIC: {"type":"counter","metric":"record_count","value":${n},"tags":{"stream":"${stream}","pid":1}}`,
    name,
    producer,
  );
const noise = (i: number) => wrap(`INFO Emitted record id=${i}`);

let scratch: { dir: string; cleanup: () => Promise<void> };
let files = 0;
beforeAll(async () => {
  scratch = await tempDir();
});
afterAll(() => scratch.cleanup());
const newFile = async (content: string | Buffer = '') => {
  const file = path.join(scratch.dir, `elt-${++files}.log`);
  await writeFile(file, content);
  return file;
};

async function allFixtures(): Promise<string> {
  const names = (await readdir(FIXTURES)).sort();
  const texts = await Promise.all(names.map((n) => readFile(path.join(FIXTURES, n), 'utf8')));
  return texts.join('');
}

describe('readRunMetrics, incrementally', () => {
  it('gives the same figures resumed after every append as read at once', async () => {
    const text = await allFixtures();
    const whole = await readRunMetrics(await newFile(text), { complete: true });
    expect(whole.metrics.metric_lines).toBe(81);

    // The log grows in pieces cut anywhere (mid-line, mid-character), read after each append
    // with chunks smaller than some lines.
    const bytes = Buffer.from(text);
    const file = await newFile();
    let progress: RunMetricsProgress | null = null;
    let read = 0;
    for (let at = 0, step = 1; at < bytes.length; at += step, step = ((step * 7 + 3) % 977) + 1) {
      await appendFile(file, bytes.subarray(at, Math.min(bytes.length, at + step)));
      const r = await readRunMetrics(file, { progress, chunkBytes: 700 });
      expect(r.restarted).toBe(false);
      progress = r.progress;
      read += r.bytesRead;
    }
    const last = await readRunMetrics(file, { progress, complete: true });
    expect(last.metrics).toEqual(whole.metrics);
    expect(last.progress.offset).toBe(bytes.length);
    // Each read re-reads only the unfinished last line and the 256-byte head check.
    expect(read).toBeLessThan(bytes.length * 2);
  });

  it('leaves a last line without its newline for the next read, unless the writer is done', async () => {
    const file = await newFile(count(5) + count(7).slice(0, -40));
    const first = await readRunMetrics(file);
    expect(first.metrics.records_extracted).toBe(5);
    expect(first.progress.offset).toBe(Buffer.byteLength(count(5)));
    await appendFile(file, count(7).slice(-40));
    const second = await readRunMetrics(file, { progress: first.progress });
    expect(second.metrics.records_extracted).toBe(12);
    expect(second.metrics.metric_lines).toBe(2);

    const done = await newFile(count(5) + count(7).slice(0, -1));
    expect((await readRunMetrics(done, { complete: true })).metrics.records_extracted).toBe(12);
  });

  it('starts over when the log was truncated or replaced', async () => {
    const file = await newFile(count(5) + count(7) + count(9));
    const first = await readRunMetrics(file);
    expect(first.metrics.records_extracted).toBe(21);

    await truncate(file, Buffer.byteLength(count(5)));
    const shorter = await readRunMetrics(file, { progress: first.progress });
    expect(shorter.restarted).toBe(true);
    expect(shorter.metrics.records_extracted).toBe(5);

    // As long as before but other lines: the head differs.
    await writeFile(
      file,
      count(1, 'orders', 'tap-y') + count(2, 'orders', 'tap-y') + count(3, 'orders', 'tap-y'),
    );
    const replaced = await readRunMetrics(file, { progress: first.progress });
    expect(replaced.restarted).toBe(true);
    expect(replaced.metrics.streams.map((s) => [s.plugin, s.stream, s.records])).toEqual([
      ['tap-y', 'orders', 6],
    ]);

    // Appended to after the head was hashed short: still recognised as the same file.
    const small = await newFile('ab\n');
    const tiny = await readRunMetrics(small);
    await appendFile(small, count(4) + noise(1).repeat(5));
    const grown = await readRunMetrics(small, { progress: tiny.progress });
    expect(grown.restarted).toBe(false);
    expect(grown.progress.head?.length).toBe(256);
    await appendFile(small, count(6));
    const again = await readRunMetrics(small, { progress: grown.progress });
    expect([again.restarted, again.metrics.records_extracted]).toEqual([false, 10]);
  });

  it('skips a line longer than a chunk without holding it, and counts the lines after it', async () => {
    const file = await newFile(count(1) + wrap(`INFO ${'x'.repeat(10_000)} METRIC`) + count(2));
    const r = await readRunMetrics(file, { chunkBytes: 1024 });
    expect(r.metrics.records_extracted).toBe(3);
    // Resuming inside the long line.
    const part = await newFile(count(1) + wrap(`INFO ${'y'.repeat(5_000)}`).slice(0, 3000));
    const p1 = await readRunMetrics(part, { chunkBytes: 1024 });
    expect(p1.progress.in_long_line).toBe(true);
    await appendFile(part, `${'y'.repeat(3000)}\n${count(2)}`);
    const p2 = await readRunMetrics(part, { chunkBytes: 1024, progress: p1.progress });
    expect(p2.metrics.records_extracted).toBe(3);
  });

  it('stops between chunks on an abort and resumes from there to the same figures', async () => {
    const text = Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? count(1) : noise(i))).join('');
    const file = await newFile(text);
    const controller = new AbortController();
    let chunks = 0;
    const first = await readRunMetrics(file, {
      chunkBytes: 4096,
      signal: controller.signal,
      between: async () => {
        if (++chunks === 3) controller.abort();
      },
    });
    expect(first.stopped).toBe(true);
    expect(first.metrics.records_extracted).toBeGreaterThan(0);
    expect(first.metrics.records_extracted).toBeLessThan(100);
    const rest = await readRunMetrics(file, { progress: first.progress });
    expect(rest.metrics.records_extracted).toBe(100);
    expect(first.bytesRead + rest.bytesRead).toBeLessThan(Buffer.byteLength(text) + 1024);
  });

  it('reads a 200 MiB log in bounded chunks, each byte once, across a resume', async () => {
    // 1 MiB blocks of noise with 64 METRIC lines each, written in two halves as a run would.
    const lines: string[] = [];
    let size = 0;
    let metricLines = 0;
    for (let i = 0; size < 1024 * 1024 - 600; i += 1) {
      const line = i % 60 === 0 && metricLines < 64 ? count(3, `s${metricLines++ % 8}`) : noise(i);
      lines.push(line);
      size += Buffer.byteLength(line);
    }
    const block = Buffer.from(lines.join(''));
    const file = await newFile();
    const handle = await open(file, 'a');
    const appendBlocks = async (n: number) => {
      for (let i = 0; i < n; i += 1) await handle.write(block);
    };
    const total = 200 * 1024 * 1024;
    const blocks = Math.ceil(total / block.length);
    try {
      await appendBlocks(Math.floor(blocks / 2));
      const first = await readRunMetrics(file);
      await appendBlocks(blocks - Math.floor(blocks / 2));
      const second = await readRunMetrics(file, { progress: first.progress });
      const fileSize = (await stat(file)).size;
      expect(fileSize).toBeGreaterThanOrEqual(total);
      expect(second.restarted).toBe(false);
      expect(second.metrics.records_extracted).toBe(blocks * metricLines * 3);
      expect(second.metrics.streams).toHaveLength(8);
      // Every byte once, plus the 256-byte head check of each call.
      expect(first.bytesRead + second.bytesRead).toBeLessThanOrEqual(fileSize + 2 * 256);
      expect(first.reads + second.reads).toBeLessThanOrEqual(Math.ceil(fileSize / (1024 * 1024)) + 4);
    } finally {
      await handle.close();
    }
  });
});

describe('the real Meltano fixture logs', () => {
  it('hold no METRIC lines: zero metrics and unknown record counts, for every version', async () => {
    const logs: string[] = [];
    for (const version of MELTANO_VERSIONS) {
      const root = path.join(REAL_MELTANO_DIR, version);
      const elt =
        version === 'v4.2.2'
          ? path.join(root, 'user-log-dir', 'elt')
          : path.join(root, 'project', '.meltano', 'logs', 'elt');
      for (const state of await readdir(elt)) {
        for (const run of await readdir(path.join(elt, state)))
          logs.push(path.join(elt, state, run, 'elt.log'));
      }
    }
    expect(logs.length).toBeGreaterThanOrEqual(40);
    for (const log of logs) {
      const { metrics, progress, size } = await readRunMetrics(log, { complete: true });
      expect(progress.offset).toBe(size);
      expect(metrics).toMatchObject({
        metric_lines: 0,
        streams: [],
        http: [],
        records_extracted: null,
        records_loaded: null,
      });
    }
  });
});
