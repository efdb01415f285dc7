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

/**
 * The server limits log reads per client IP (apps/server's DEFAULT_RATE_LIMITS: 1,200 `/log` and 600
 * `/log/search` a minute) and every soak client is 127.0.0.1, so the mix sends at most 80% of that
 * and picks another request when a budget is spent: the log figures then time log work, not 429s.
 */
const BUDGET_PER_SECOND = { logRead: 16, logSearch: 8 } as const;
type Budget = keyof typeof BUDGET_PER_SECOND;

const any = <T>(xs: T[], r: () => number): T => xs[Math.floor(r() * xs.length)]!;
const ok = [200] as const;

/** [weight, request, rate budget]: what the pipelines, runs, log and settings pages ask for. */
const MIX: [number, Pick, Budget?][] = [
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
    'logRead',
  ],
  [
    4,
    (t, r) => ({
      route: 'GET /runs/{id}/log?offset&length',
      expect: ok,
      path: `/api/v1/runs/${any(t.runsWithLog, r)}/log?offset=0&length=65536`,
    }),
    'logRead',
  ],
  [
    3,
    (t, r) => ({
      route: 'GET /runs/{id}/log?from_end',
      expect: ok,
      path: `/api/v1/runs/${any(t.runsWithLog, r)}/log?from_end=true&length=65536`,
    }),
    'logRead',
  ],
  [
    4,
    (t, r) => ({
      route: 'GET /runs/{id}/log/search',
      expect: ok,
      path: `/api/v1/runs/${any(t.runsWithLog, r)}/log/search?${any(['q=record', 'q=soak-marker&direction=backward', 'kind=errors'], r)}`,
    }),
    'logSearch',
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

const spent = { second: 0, logRead: 0, logSearch: 0 };

/** Whether a request of `budget` may go this second (and counts it). */
function withinBudget(budget: Budget | undefined): boolean {
  if (budget === undefined) return true;
  const second = Math.floor(Date.now() / 1000);
  if (second !== spent.second) Object.assign(spent, { second, logRead: 0, logSearch: 0 });
  if (spent[budget] >= BUDGET_PER_SECOND[budget]) return false;
  spent[budget]++;
  return true;
}

function pick(t: MixTargets, r: () => number): Omit<Call, 'cookie'> {
  for (;;) {
    let x = r() * TOTAL;
    for (const [w, p, budget] of MIX) {
      x -= w;
      if (x < 0) {
        if (withinBudget(budget)) return p(t, r);
        break;
      }
    }
  }
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
