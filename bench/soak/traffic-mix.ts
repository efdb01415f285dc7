// The read traffic of people using the UI: a closed loop of `connections` clients, each sending its
// next request as soon as the last one is answered, picked by weight from the mix below.
import type { Pool } from 'undici';
import { type Call, send } from './api-client.js';
import type { SoakStats } from './route-stats.js';

export interface MixTargets {
  /** Runs whose log exists (finished fixture runs and the followed running ones). */
  runsWithLog: number[];
  allRuns: number[];
  cookies: string[];
}

type Pick = (t: MixTargets, r: () => number) => Omit<Call, 'cookie'>;

const any = <T>(xs: T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;
const ok = [200] as const;

/** [weight, request]: what the pipelines, runs, log and settings pages ask for. */
const MIX: [number, Pick][] = [
  [10, () => ({ route: 'GET /schedules', expect: ok, path: '/api/v1/schedules' })],
  [3, () => ({ route: 'GET /jobs', expect: ok, path: '/api/v1/jobs' })],
  [2, () => ({ route: 'GET /state', expect: ok, path: '/api/v1/state' })],
  [8, () => ({ route: 'GET /runs', expect: ok, path: '/api/v1/runs?limit=50' })],
  [2, () => ({ route: 'GET /runs?status', expect: ok, path: '/api/v1/runs?status=running&limit=50' })],
  [10, (t, r) => ({ route: 'GET /runs/{id}', expect: ok, path: `/api/v1/runs/${any(t.allRuns, r)}` })],
  [
    8,
    (t, r) => ({
      route: 'GET /runs/{id}/log?tail',
      expect: ok,
      path: `/api/v1/runs/${any(t.runsWithLog, r)}/log?tail=${any([50, 200, 1000], r)}`,
    }),
  ],
  [
    4,
    (t, r) => ({
      route: 'GET /runs/{id}/log?offset&length',
      expect: ok,
      path: `/api/v1/runs/${any(t.runsWithLog, r)}/log?offset=0&length=65536`,
    }),
  ],
  [
    3,
    (t, r) => ({
      route: 'GET /runs/{id}/log?from_end',
      expect: ok,
      path: `/api/v1/runs/${any(t.runsWithLog, r)}/log?from_end=true&length=65536`,
    }),
  ],
  [
    4,
    (t, r) => ({
      route: 'GET /runs/{id}/log/search',
      expect: ok,
      path: `/api/v1/runs/${any(t.runsWithLog, r)}/log/search?${any(['q=record', 'q=soak-marker&direction=backward', 'kind=errors'], r)}`,
    }),
  ],
  [
    5,
    (_t, r) => ({
      route: 'GET /plugins/{type}/{name}/settings',
      expect: ok,
      path: any(
        [
          '/api/v1/plugins/extractors/tap-demo/settings',
          '/api/v1/plugins/extractors/tap-demo/settings?environment=prod',
          '/api/v1/plugins/loaders/target-demo/settings',
          '/api/v1/plugins/extractors/tap-demo-slow/settings',
        ],
        r,
      ),
    }),
  ],
  [3, () => ({ route: 'GET /plugins', expect: ok, path: '/api/v1/plugins' })],
  [3, () => ({ route: 'GET /project', expect: ok, path: '/api/v1/project' })],
  [3, () => ({ route: 'GET /identity', expect: ok, path: '/api/v1/identity' })],
  [2, () => ({ route: 'GET /health', expect: ok, path: '/api/v1/health' })],
];
const TOTAL = MIX.reduce((n, [w]) => n + w, 0);

function pick(t: MixTargets, r: () => number): Omit<Call, 'cookie'> {
  let x = r() * TOTAL;
  for (const [w, p] of MIX) {
    x -= w;
    if (x < 0) return p(t, r);
  }
  return MIX[0]![1](t, r);
}

/** `connections` clients sending `next()` back to back until `signal` aborts. */
export async function closedLoop(
  pool: Pool,
  stats: SoakStats,
  connections: number,
  next: (client: number) => Call,
  signal: AbortSignal,
): Promise<void> {
  await Promise.all(
    Array.from({ length: connections }, async (_, client) => {
      while (!signal.aborted) await send(pool, stats, next(client));
    }),
  );
}

/** The UI's read mix; each client speaks with one of the sessions (admin, regular, viewer). */
export function runMix(
  pool: Pool,
  stats: SoakStats,
  connections: number,
  targets: MixTargets,
  signal: AbortSignal,
) {
  return closedLoop(
    pool,
    stats,
    connections,
    (client) => ({ ...pick(targets, Math.random), cookie: targets.cookies[client % targets.cookies.length] }),
    signal,
  );
}
