// Load and latency measurement shared by the HTTP benches.
import { spawn, spawnSync } from 'node:child_process';
import autocannon from 'autocannon';
import { request } from 'undici';

export interface Throughput {
  rps: number;
  p50: number;
  p99: number;
  /** Answers that were not 2xx, and requests that got no answer. */
  non2xx: number;
  errors: number;
}

/**
 * The load generator: wrk (C, one thread) when it is installed, else autocannon (JavaScript, in this
 * process). On 2 cores the generator shares the machine with the server, and autocannon's own
 * parsing caps what it can measure (~30k req/s of a bare Fastify where wrk sees ~60k); wrk leaves the
 * server most of the CPU, so the ratios say more about the server. `apt-get install wrk`.
 */
export const LOAD_TOOL: 'wrk' | 'autocannon' =
  process.env.BENCH_LOAD_TOOL === 'autocannon' || spawnSync('wrk', ['--version']).error
    ? 'autocannon'
    : 'wrk';

/** `connections` keep-alive connections for `seconds` against one URL (LOAD_TOOL). */
export async function throughput(
  url: string,
  opts: { connections?: number; seconds: number; headers?: Record<string, string> },
): Promise<Throughput> {
  const connections = opts.connections ?? 50;
  if (LOAD_TOOL === 'wrk') return wrk(url, connections, opts.seconds, opts.headers ?? {});
  const result = await autocannon({
    url,
    connections,
    duration: opts.seconds,
    headers: opts.headers,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/** wrk's summary, with its latency distribution (`--latency`) for p50/p99. */
async function wrk(
  url: string,
  connections: number,
  seconds: number,
  headers: Record<string, string>,
): Promise<Throughput> {
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency'];
  for (const [name, value] of Object.entries(headers)) args.push('-H', `${name}: ${value}`);
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn('wrk', [...args, url], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`wrk exited ${code}: ${text}`)),
    );
  });
  const ms = (label: string) => {
    const m = new RegExp(`^\\s*${label}\\s+([\\d.]+)(us|ms|s)\\b`, 'm').exec(out);
    if (!m) return Number.NaN;
    const n = Number(m[1]);
    return m[2] === 'us' ? n / 1000 : m[2] === 's' ? n * 1000 : n;
  };
  const count = (re: RegExp) => Number(re.exec(out)?.[1] ?? 0);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    rps: count(/Requests\/sec:\s+([\d.]+)/),
    p50: ms('50%'),
    p99: ms('99%'),
    non2xx: count(/Non-2xx or 3xx responses: (\d+)/),
    errors: errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
  };
}

export interface Latencies {
  p50: number;
  p99: number;
  max: number;
  count: number;
}

/** Percentiles of a list of milliseconds. */
export function percentiles(ms: number[]): Latencies {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN, count: sorted.length };
}

/** One request after another (no concurrency): how long a user waits for each. Throws on a non-2xx. */
export async function sequentialLatency(
  url: string,
  count: number,
  headers: Record<string, string> = {},
): Promise<Latencies> {
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) times.push(await timedGet(url, headers));
  return percentiles(times);
}

/** Milliseconds for one GET to be answered in full. Throws on a non-2xx. */
export async function timedGet(url: string, headers: Record<string, string> = {}): Promise<number> {
  const t = performance.now();
  const res = await request(url, { headers });
  await res.body.arrayBuffer();
  const ms = performance.now() - t;
  if (res.statusCode >= 300) throw new Error(`GET ${url} answered ${res.statusCode}`);
  return ms;
}
