import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The server runs in a child process so that its RSS is its own (vitest's is not). The log is read
// by SSE clients that never read: without back-pressure the server would read the whole 300 MiB
// log into socket buffers in its own memory. SQLite only: no database work is involved.
const CHILD = fileURLToPath(new URL('./support/log-server.child.ts', import.meta.url));
const MIB = 1024 * 1024;
const ALLOWED_GROWTH = 32 * MIB;

function rssOf(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
  if (kib === undefined) throw new Error(`no VmRSS for ${pid}`);
  return Number(kib) * 1024;
}

/** A raw client that asks for the stream from byte 0 and never reads a byte of the answer. */
function neverReadingClient(port: number, path: string): net.Socket {
  const socket = net.connect({ host: '127.0.0.1', port });
  socket.pause();
  socket.on('error', () => {});
  socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`);
  return socket;
}

describe('live-log stream memory with clients that never read', () => {
  let child: ChildProcess;
  let port: number;
  let baseline: number;
  let output = '';
  const stalledCloses = () => output.split('\n').filter((l) => l.includes('Closed a live-log stream')).length;

  beforeAll(async () => {
    child = spawn(process.execPath, ['--conditions=source', '--import', 'tsx', CHILD], {
      env: { ...process.env, LOG_MIB: '300', STALL_MS: '3000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout?.on('data', (d) => {
        output += d;
        const m = /\{"listening":"([^"]+)"/.exec(output);
        if (m?.[1]) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`server exited ${code}:\n${output}`)));
    });
    port = Number(new URL(url).port);
    // Warm up with a client that reads 64 MiB of the stream: the baseline then includes the code
    // paths and the young heap a streaming server settles at (it grows under allocation at first).
    const res = await fetch(`${url}/api/v1/runs/15/log/stream?offset=0`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let read = 0;
    while (read < 64 * MIB) read += (await reader.read()).value?.length ?? 0;
    await reader.cancel();
    baseline = rssOf(child.pid as number);
  }, 120_000);

  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });

  /** Opens `count` clients, and samples the server's RSS until it has dropped them all as stalled. */
  async function peakGrowthWith(count: number): Promise<number> {
    const before = stalledCloses();
    const sockets = Array.from({ length: count }, () =>
      neverReadingClient(port, '/api/v1/runs/15/log/stream?offset=0'),
    );
    let peak = 0;
    // Stops early once past the allowance (the unbounded server gets there in a second or two).
    while (stalledCloses() < before + count && peak <= ALLOWED_GROWTH) {
      peak = Math.max(peak, rssOf(child.pid as number) - baseline);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    for (const socket of sockets) socket.destroy();
    return peak;
  }

  it('one client: the server reads only as fast as the socket drains, then drops it', async () => {
    const growth = await peakGrowthWith(1);
    expect(growth, `RSS grew by ${(growth / MIB).toFixed(1)} MiB`).toBeLessThanOrEqual(ALLOWED_GROWTH);
    expect(stalledCloses()).toBe(1);
  }, 120_000);

  it('four clients at once stay within the same allowance', async () => {
    const growth = await peakGrowthWith(4);
    expect(growth, `RSS grew by ${(growth / MIB).toFixed(1)} MiB`).toBeLessThanOrEqual(ALLOWED_GROWTH);
    expect(stalledCloses()).toBe(5);
  }, 120_000);
});
