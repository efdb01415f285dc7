// Load and latency measurement shared by the HTTP benches.
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

/** autocannon against one URL: `connections` keep-alive connections for `seconds`. */
export async function throughput(
  url: string,
  opts: { connections?: number; seconds: number; headers?: Record<string, string> },
): Promise<Throughput> {
  const result = await autocannon({
    url,
    connections: opts.connections ?? 50,
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
