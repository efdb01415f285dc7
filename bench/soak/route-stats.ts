// Per-route figures for the soak: latencies, status counts, and what counts as an error.

/** One kind of request, named as in the OpenAPI document (`GET /runs/{id}/log`), with the statuses it may answer. */
export interface RouteSpec {
  route: string;
  /** Statuses that are correct answers for this request (401 for a wrong password, 409 for a run already going). */
  expect: readonly number[];
}

export interface ErrorSample {
  route: string;
  url: string;
  what: string;
}

const SAMPLE_LIMIT = 20;

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

class RouteFigures {
  latencies: number[] = [];
  statuses = new Map<number, number>();
  errors = 0;
  throttled = 0;
}

/**
 * Counts every answer. 429 is counted apart ("throttled"): the sign-in limit and the heavy-work bounds
 * answer it on purpose. Anything else outside `expect`, and every connection error, is an error.
 */
export class SoakStats {
  #routes = new Map<string, RouteFigures>();
  samples: ErrorSample[] = [];
  startedAt = performance.now();

  reset(): void {
    this.#routes.clear();
    this.samples = [];
    this.startedAt = performance.now();
  }

  #figures(route: string): RouteFigures {
    let f = this.#routes.get(route);
    if (!f) {
      f = new RouteFigures();
      this.#routes.set(route, f);
    }
    return f;
  }

  /** Records an answer; returns whether it was an expected one. */
  answer(spec: RouteSpec, url: string, status: number, ms: number, body = ''): boolean {
    const f = this.#figures(spec.route);
    f.latencies.push(ms);
    f.statuses.set(status, (f.statuses.get(status) ?? 0) + 1);
    if (status === 429) {
      f.throttled++;
      return true;
    }
    if (spec.expect.includes(status)) return true;
    f.errors++;
    this.#sample({ route: spec.route, url, what: `HTTP ${status} ${body.slice(0, 240)}` });
    return false;
  }

  /** A request that got no answer (connection refused or reset, timeout), or a broken stream. */
  failure(route: string, url: string, what: string): void {
    this.#figures(route).errors++;
    this.#sample({ route, url, what });
  }

  #sample(s: ErrorSample): void {
    if (this.samples.length < SAMPLE_LIMIT) this.samples.push(s);
  }

  get requests(): number {
    let n = 0;
    for (const f of this.#routes.values()) n += f.latencies.length;
    return n;
  }

  get errors(): number {
    let n = 0;
    for (const f of this.#routes.values()) n += f.errors;
    return n;
  }

  get throttled(): number {
    let n = 0;
    for (const f of this.#routes.values()) n += f.throttled;
    return n;
  }

  /** p50/p99 over every route. */
  overall(): { p50: number; p99: number } {
    const all = [...this.#routes.values()].flatMap((f) => f.latencies).sort((a, b) => a - b);
    return { p50: percentile(all, 50), p99: percentile(all, 99) };
  }

  seconds(): number {
    return (performance.now() - this.startedAt) / 1000;
  }

  /** One line per route: count, p50/p99 latency, statuses seen, errors. */
  table(): string[] {
    const rows = [...this.#routes.entries()].sort(([a], [b]) => a.localeCompare(b));
    const width = Math.max(30, ...rows.map(([r]) => r.length));
    const lines = [
      `${'route'.padEnd(width)} ${'count'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)}  errors  statuses`,
    ];
    for (const [route, f] of rows) {
      const sorted = [...f.latencies].sort((a, b) => a - b);
      const statuses = [...f.statuses.entries()]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ');
      lines.push(
        `${route.padEnd(width)} ${String(sorted.length).padStart(7)} ${percentile(sorted, 50).toFixed(1).padStart(8)} ` +
          `${percentile(sorted, 99).toFixed(1).padStart(8)}  ${String(f.errors).padStart(6)}  ${statuses}`,
      );
    }
    return lines;
  }
}
