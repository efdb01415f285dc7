/**
 * How fast, and in how little memory, the log viewer opens a huge elt.log: `readLogTail` against the
 * system `tail -n 1000`, and `readLogChunk` at the start, middle and end of a 500 MiB file.
 * Prints figures; asserts nothing. Run with `pnpm --filter @meltano-ui/bench run bench`.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { readLogChunk, readLogTail } from '../packages/core/src/logs/index.js';

const MIB = 1024 * 1024;
const FILE_MIB = 500;
const TAIL_LINES = 1000;
const RUNS = 7;
const run = promisify(execFile);

/** Writes `mib` MiB of realistic Meltano log lines through a stream, one 1 MiB block at a time. */
async function generateLog(file: string, mib: number): Promise<number> {
  const lines: string[] = [];
  let bytes = 0;
  for (let i = 0; bytes < MIB; i += 1) {
    const line =
      i % 10 === 9
        ? `2026-11-21T04:39:52.${String(i).padStart(6, '0')}Z [warning  ] target-demo  WARN slow batch é 🚀 n=${i}\n`
        : `2026-11-21T04:39:52.${String(i).padStart(6, '0')}Z [info     ] tap-demo     INFO Emitted record id=${i} cmd_type=elb consumer=False name=tap-demo producer=True stdio=stderr string_id=tap-demo\n`;
    lines.push(line);
    bytes += Buffer.byteLength(line);
  }
  const block = Buffer.from(lines.join(''));
  const out = createWriteStream(file);
  for (let i = 0; i < mib; i += 1) {
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end('2026-11-21T04:45:56.816088Z [info     ] meltano      Extract & load complete!\n');
  await once(out, 'finish');
  return block.length * mib;
}

interface Sample {
  ms: number;
  rssDeltaMiB: number;
}

async function measure(fn: () => Promise<unknown>): Promise<Sample> {
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  await fn();
  const ms = performance.now() - t0;
  return { ms, rssDeltaMiB: (process.memoryUsage().rss - rssBefore) / MIB };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

function report(label: string, samples: Sample[], extra = ''): void {
  const first = samples[0] as Sample;
  const ms = median(samples.map((s) => s.ms));
  const rss = Math.max(...samples.map((s) => s.rssDeltaMiB));
  console.log(
    `${label.padEnd(40)} first ${first.ms.toFixed(2).padStart(8)} ms   median ${ms.toFixed(2).padStart(8)} ms` +
      `   max RSS delta ${rss.toFixed(2).padStart(7)} MiB${extra}`,
  );
}

async function repeat(fn: () => Promise<unknown>): Promise<Sample[]> {
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i += 1) samples.push(await measure(fn));
  return samples;
}

/** Peak RSS of one `tail` process in MiB, via GNU time, or null where that is unavailable. */
async function tailPeakRssMiB(file: string): Promise<number | null> {
  if (!existsSync('/usr/bin/time')) return null;
  try {
    const { stderr } = await run('/usr/bin/time', ['-f', '%M', 'tail', '-n', String(TAIL_LINES), file], {
      maxBuffer: 64 * MIB,
    });
    const kib = Number(stderr.trim().split('\n').at(-1));
    return Number.isFinite(kib) ? kib / 1024 : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'meltano-ui-bench-'));
  const file = path.join(dir, 'elt.log');
  try {
    const t0 = performance.now();
    const rssBefore = process.memoryUsage().rss;
    const size = await generateLog(file, FILE_MIB);
    console.log(
      `generated ${(size / MIB).toFixed(0)} MiB in ${((performance.now() - t0) / 1000).toFixed(1)} s ` +
        `(RSS delta ${((process.memoryUsage().rss - rssBefore) / MIB).toFixed(1)} MiB); ` +
        `node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}; the file is in the page cache.`,
    );
    console.log(`each figure: ${RUNS} runs; RSS delta = process RSS after minus before one call.\n`);

    const ours = await repeat(() => readLogTail(file, { lines: TAIL_LINES }));
    const tail = await readLogTail(file, { lines: TAIL_LINES });
    report(`readLogTail ${TAIL_LINES} lines`, ours, `   (${(tail.length / 1024).toFixed(0)} KiB returned)`);

    let tailOutput = '';
    const system = await repeat(async () => {
      tailOutput = (await run('tail', ['-n', String(TAIL_LINES), file], { maxBuffer: 64 * MIB })).stdout;
    });
    const peak = await tailPeakRssMiB(file);
    report(
      `system tail -n ${TAIL_LINES} (child process)`,
      system,
      `   (child peak RSS ${peak === null ? 'n/a' : `${peak.toFixed(1)} MiB`}; same text: ${tailOutput === tail.text})`,
    );

    const middle = Math.floor(size / 2);
    report('readLogChunk offset 0 (256 KiB)', await repeat(() => readLogChunk(file, { offset: 0 })));
    report(
      `readLogChunk offset ${middle} (256 KiB)`,
      await repeat(() => readLogChunk(file, { offset: middle })),
    );
    report('readLogChunk fromEnd (256 KiB)', await repeat(() => readLogChunk(file, { fromEnd: true })));
    report(
      'readLogChunk offset 0 (4 MiB)',
      await repeat(() => readLogChunk(file, { offset: 0, length: 4 * MIB })),
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
