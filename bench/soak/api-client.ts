// One request to the UI through an undici pool, timed and counted in the soak's figures.
import type { Dispatcher, Pool } from 'undici';
import type { RouteSpec, SoakStats } from './route-stats.js';

export interface Call extends RouteSpec {
  method?: Dispatcher.HttpMethod;
  path: string;
  cookie?: string;
  body?: unknown;
}

export interface Answer {
  status: number;
  ok: boolean;
  text: string;
  headers: Record<string, string | string[] | undefined>;
  json<T = Record<string, unknown>>(): T;
}

/** Sends `call`, records its latency and status in `stats`; null when the request got no answer. */
export async function send(pool: Pool, stats: SoakStats, call: Call): Promise<Answer | null> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (call.cookie) headers.cookie = call.cookie;
  if (call.method && call.method !== 'GET') headers['x-requested-with'] = 'meltano-ui-soak';
  if (call.body !== undefined) headers['content-type'] = 'application/json';
  const started = performance.now();
  try {
    const res = await pool.request({
      method: call.method ?? 'GET',
      path: call.path,
      headers,
      body: call.body === undefined ? null : JSON.stringify(call.body),
    });
    const text = await res.body.text();
    const ok = stats.answer(call, call.path, res.statusCode, performance.now() - started, text);
    return {
      status: res.statusCode,
      ok,
      text,
      headers: res.headers,
      json: <T>() => JSON.parse(text) as T,
    };
  } catch (err) {
    stats.failure(call.route, call.path, `no answer: ${(err as Error).message}`);
    return null;
  }
}

/** The session cookie a sign-in set, as a Cookie header value. */
export function sessionCookie(answer: Answer): string | null {
  const set = answer.headers['set-cookie'];
  const list = Array.isArray(set) ? set : set ? [set] : [];
  const session = list.map((c) => c.split(';')[0]!).find((c) => c.startsWith('meltano_ui_session='));
  return session ?? null;
}
