// Runs started and cancelled through the API, one after another: run now → the run appears → its
// log is read → cancel → the run ends as failed. The UI runs them with the stand-in (STANDIN_MODE=hang).
import type { Pool } from 'undici';
import { send } from './api-client.js';
import type { SoakStats } from './route-stats.js';

interface Launch {
  id: string;
  pid: number | null;
  run_id: string;
  state_ids: string[];
  status: string;
  error: string | null;
}

interface Run {
  id: number;
  run_id: string | null;
  status: string;
  error: string | null;
}

const PIPELINES = [
  { kind: 'schedules', name: 'daily-demo' },
  { kind: 'schedules', name: 'cron-demo' },
  { kind: 'jobs', name: 'demo-job' },
] as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const hex = (uuid: string | null) => (uuid ?? '').replace(/-/g, '').toLowerCase();

export function startRunCycler(pool: Pool, stats: SoakStats, cookie: string) {
  let stopping = false;
  const figures = { started: 0, cancelled: 0, failures: [] as string[] };
  // The process of the run in progress: runs outlive the server, so a soak whose server died ends it.
  let currentPid: number | null = null;
  const fail = (what: string) => {
    stats.failure('run cycle', '-', what);
    if (figures.failures.length < 5) figures.failures.push(what);
  };

  /** Polls until `check` gives a value, for at most `ms`. */
  async function until<T>(ms: number, check: () => Promise<T | null>): Promise<T | null> {
    const deadline = performance.now() + ms;
    while (performance.now() < deadline) {
      const v = await check();
      if (v !== null) return v;
      await sleep(250);
    }
    return null;
  }

  async function cycle(pipeline: (typeof PIPELINES)[number]): Promise<void> {
    const kind = pipeline.kind === 'schedules' ? 'schedules/{name}' : 'jobs/{name}';
    const started = await send(pool, stats, {
      route: `POST /${kind}/run`,
      expect: [202],
      method: 'POST',
      path: `/api/v1/${pipeline.kind}/${pipeline.name}/run`,
      cookie,
    });
    if (!started?.ok || started.status !== 202) return;
    figures.started++;
    const launch = started.json<Launch>();
    currentPid = launch.pid;
    const run = await until(30_000, async () => {
      const page = await send(pool, stats, {
        route: 'GET /runs?state_id',
        expect: [200],
        path: `/api/v1/runs?state_id=${encodeURIComponent(launch.state_ids[0]!)}&limit=5`,
        cookie,
      });
      if (!page?.ok) return null;
      return page.json<{ items: Run[] }>().items.find((r) => hex(r.run_id) === hex(launch.run_id)) ?? null;
    });
    if (run === null) {
      const now = await send(pool, stats, {
        route: 'GET /launches/{launch}',
        expect: [200],
        path: `/api/v1/launches/${launch.id}`,
        cookie,
      });
      return fail(`${pipeline.name}: no run row within 30 s of the launch (${now?.text.slice(0, 200)})`);
    }
    await send(pool, stats, {
      route: 'GET /launches/{launch}',
      expect: [200],
      path: `/api/v1/launches/${launch.id}`,
      cookie,
    });
    await sleep(1000);
    await send(pool, stats, {
      route: 'GET /runs/{id}/log?tail',
      expect: [200],
      path: `/api/v1/runs/${run.id}/log?tail=100`,
      cookie,
    });
    const cancel = await send(pool, stats, {
      route: 'POST /runs/{id}/cancel',
      expect: [202],
      method: 'POST',
      path: `/api/v1/runs/${run.id}/cancel`,
      cookie,
    });
    if (!cancel?.ok) return;
    const ended = await until(30_000, async () => {
      const r = await send(pool, stats, {
        route: 'GET /runs/{id}',
        expect: [200],
        path: `/api/v1/runs/${run.id}`,
        cookie,
      });
      const view = r?.ok ? r.json<Run>() : null;
      return view && view.status !== 'running' ? view : null;
    });
    if (ended === null) return fail(`${pipeline.name}: run ${run.id} still running 30 s after cancel`);
    if (ended.status !== 'failed')
      return fail(`${pipeline.name}: cancelled run ${run.id} ended ${ended.status}`);
    figures.cancelled++;
    currentPid = null;
  }

  const done = (async () => {
    for (let i = 0; !stopping; i++) await cycle(PIPELINES[i % PIPELINES.length]!);
  })();
  return {
    figures,
    /** Lets the cycle in progress finish (its run cancelled), then stops. */
    async stop() {
      stopping = true;
      await done;
    },
    /** SIGTERM to the process group of a run left going (the server died mid-cycle). */
    endOrphan() {
      if (currentPid === null) return;
      try {
        process.kill(-currentPid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    },
  };
}
