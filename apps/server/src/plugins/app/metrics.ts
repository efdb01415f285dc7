import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

declare module 'fastify' {
  interface FastifyInstance {
    /** This app's Prometheus registry and the hooks routes report to (counted even when not served). */
    metrics: {
      enabled: boolean;
      registry: Registry;
      /** A live-log response that is open until its connection closes. */
      streamOpened(res: ServerResponse): void;
      /** A liveness probe answered below Fastify (health-fast-path.ts): counted as the route's own. */
      observeHealth(seconds: number): void;
    };
  }
}

export interface MetricsOptions {
  /** ui.metrics_enabled: collect the process's default metrics and serve /metrics. */
  enabled: boolean;
  /** `<ui.base_path>/api/v1`. */
  apiPrefix: string;
}

// Seconds; API answers are mostly milliseconds, log reads and searches up to the heavy-work bounds.
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** How long a scrape waits for a system DB read of its own before it leaves the series as they were. */
const DB_WAIT_MS = 2000;

/** `promise`'s value, or null when it takes longer than `ms`. */
function withinMs<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  return new Promise<T | null>((resolve, reject) => {
    const timer = setTimeout(() => resolve(null), ms);
    timer.unref();
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/**
 * Prometheus metrics of this server, in a registry of its own (a process may hold several apps, as
 * the tests do): request durations by route, open live-log streams, the system database's pool and
 * failures, pipeline runs started and cancelled through this replica and those it still runs, and
 * (when enabled) Node's default process metrics, event-loop lag and memory among them.
 */
export const metrics = fp(
  async (fastify: FastifyInstance, opts: MetricsOptions) => {
    const registry = new Registry();
    const { core } = fastify;
    const registers = [registry];

    const duration = new Histogram({
      name: 'meltano_ui_http_request_duration_seconds',
      help: 'Time to answer an HTTP request (live-log streams excluded), by method, route pattern and status',
      labelNames: ['method', 'route', 'status_code'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    const streams = new Gauge({
      name: 'meltano_ui_sse_streams_open',
      help: 'Live-log (Server-Sent Events) streams open now',
      registers,
    });
    new Gauge({
      name: 'meltano_ui_db_pool_connections',
      help: 'PostgreSQL pool connections by state (total, idle, waiting = queries queued for one); none on SQLite',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = core.db.stats().pool;
        if (pool === null) return;
        this.set({ state: 'total' }, pool.total);
        this.set({ state: 'idle' }, pool.idle);
        this.set({ state: 'waiting' }, pool.waiting);
      },
    });
    new Counter({
      name: 'meltano_ui_db_errors_total',
      help: 'System database calls that failed because the database was unavailable',
      labelNames: ['dialect'],
      registers,
      collect() {
        const stats = core.db.stats();
        this.reset();
        this.inc({ dialect: stats.dialect }, stats.unavailableErrors);
      },
    });
    const started = new Counter({
      name: 'meltano_ui_runs_started_total',
      help: 'Pipeline runs started through this replica (Run now), by kind (schedule, job)',
      labelNames: ['kind'],
      registers,
    });
    const cancelled = new Counter({
      name: 'meltano_ui_runs_cancelled_total',
      help: 'Run cancellations accepted by this replica',
      registers,
    });
    new Gauge({
      name: 'meltano_ui_launches_active',
      help: 'Pipeline runs this replica launched that are starting or running',
      registers,
      async collect() {
        // A database that does not answer (in time: a locked SQLite file waits 5 s) leaves the last
        // value: the scrape itself must still work, and within Prometheus' timeout.
        const active = await withinMs(fastify.launcher.activeHere(), DB_WAIT_MS).catch(() => null);
        if (active !== null) this.set(active);
      },
    });
    if (opts.enabled) collectDefaultMetrics({ register: registry });

    const health = duration.labels({ method: 'GET', route: `${opts.apiPrefix}/health`, status_code: '200' });
    fastify.decorate('metrics', {
      enabled: opts.enabled,
      registry,
      streamOpened(res: ServerResponse) {
        streams.inc();
        res.once('close', () => streams.dec());
      },
      observeHealth: (seconds: number) => health.observe(seconds),
    });

    const runRoutes: Record<string, 'schedule' | 'job'> = {
      [`${opts.apiPrefix}/schedules/:name/run`]: 'schedule',
      [`${opts.apiPrefix}/jobs/:name/run`]: 'job',
    };
    const cancelRoute = `${opts.apiPrefix}/runs/:id/cancel`;
    fastify.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? '(not found)';
      const status = reply.statusCode;
      if (status === 202 && request.method === 'POST') {
        const kind = runRoutes[route];
        if (kind !== undefined) started.inc({ kind });
        if (route === cancelRoute) cancelled.inc();
      }
      // A stream's "duration" is how long someone watched; it would only stretch the top bucket.
      if (request.routeOptions.config.streams === true) return;
      duration.observe(
        { method: request.method, route, status_code: String(status) },
        reply.elapsedTime / 1000,
      );
    });
  },
  { name: 'metrics', dependencies: ['core-services'] },
);
