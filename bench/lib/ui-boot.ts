// A page's first answer after the UI starts, as a signed-in user sees it after a restart: the browser
// keeps its cookie (sessions live in the system DB and the secrets stay), the server process is new.
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { request } from 'undici';
import { signIn, startUi, type UiProcess } from './servers.js';

/** A port free right now on loopback (the UI is told to listen there, so it can be asked from spawn on). */
export async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

export interface EarlierVisit {
  /** The session cookie the browser keeps. */
  cookie: string;
  /** That start's first GET of the page, sent right after sign-in (the start that meets the DB first). */
  firstMs: number;
}

/**
 * A visit on a start of its own, then that server stopped: `username` signs in and opens `path` once,
 * so whatever the UI sets up in the system DB on its first start is done before the start measured.
 */
export async function earlierVisit(
  root: string,
  env: NodeJS.ProcessEnv,
  user: { username: string; password: string },
  path: string,
): Promise<EarlierVisit> {
  const ui = await startUi(root, env);
  try {
    const cookie = await signIn(ui.url, user.username, user.password);
    const t = performance.now();
    const res = await request(`${ui.url}${path}`, { headers: { cookie } });
    await res.body.text();
    if (res.statusCode !== 200)
      throw new Error(`GET ${path} answered ${res.statusCode} on the earlier start`);
    return { cookie, firstMs: performance.now() - t };
  } finally {
    await ui.stop(10_000);
  }
}

export interface ColdAnswer {
  ui: UiProcess;
  /** Spawn → the first 200 from health (asked every 5 ms). */
  healthMs: number;
  /** The first GET of the page alone, sent once health answered. */
  firstMs: number;
  body: string;
}

/** Spawns the UI, waits for health, then times the first GET of `path` with `cookie`. Throws on a non-200. */
export async function coldAnswer(
  root: string,
  env: NodeJS.ProcessEnv,
  path: string,
  cookie: string,
): Promise<ColdAnswer> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const spawned = performance.now();
  let failed: unknown = null;
  const starting = startUi(root, env, port);
  starting.catch((error: unknown) => {
    failed = error;
  });
  for (;;) {
    if (failed) throw failed;
    try {
      const res = await request(`${base}/api/v1/health`);
      await res.body.text();
      if (res.statusCode === 200) break;
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
  const healthMs = performance.now() - spawned;
  const t = performance.now();
  const res = await request(`${base}${path}`, { headers: { cookie } });
  const body = await res.body.text();
  const firstMs = performance.now() - t;
  const ui = await starting;
  if (res.statusCode !== 200) {
    await ui.stop(10_000);
    throw new Error(`the first GET ${path} answered ${res.statusCode}: ${body.slice(0, 300)}`);
  }
  return { ui, healthMs, firstMs, body };
}
