// Sign-ins at a person's pace: correct ones (sign in, read the identity, sign out) and wrong passwords,
// spread over a few users so they stay under the limits (5 failures a minute per user, 20 per IP).
import type { Pool } from 'undici';
import { send, sessionCookie } from './api-client.js';
import type { SoakStats } from './route-stats.js';

export interface SoakUser {
  username: string;
  password: string;
  role: 'admin' | 'regular' | 'viewer';
}

const LOGIN = { route: 'POST /auth/login', method: 'POST', path: '/api/v1/auth/login' } as const;

/** Signs `user` in; the session cookie, or null (counted as an error) when that failed. */
export async function signIn(pool: Pool, stats: SoakStats, user: SoakUser): Promise<string | null> {
  const res = await send(pool, stats, {
    ...LOGIN,
    expect: [200],
    body: { username: user.username, password: user.password },
  });
  return res?.status === 200 ? sessionCookie(res) : null;
}

export function startSignIns(
  pool: Pool,
  stats: SoakStats,
  users: SoakUser[],
  opts: { correctEveryMs: number; wrongEveryMs: number },
) {
  let correct = 0;
  let wrong = 0;
  const inFlight = new Set<Promise<unknown>>();
  const track = (p: Promise<unknown>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };
  const good = setInterval(() => {
    const user = users[correct++ % users.length]!;
    track(
      (async () => {
        const cookie = await signIn(pool, stats, user);
        if (!cookie) return;
        await send(pool, stats, { route: 'GET /identity', expect: [200], path: '/api/v1/identity', cookie });
        await send(pool, stats, {
          route: 'POST /auth/logout',
          expect: [204],
          method: 'POST',
          path: '/api/v1/auth/logout',
          cookie,
        });
      })(),
    );
  }, opts.correctEveryMs);
  const bad = setInterval(() => {
    const user = users[wrong++ % users.length]!;
    track(
      send(pool, stats, {
        ...LOGIN,
        route: 'POST /auth/login (wrong password)',
        expect: [401],
        body: { username: user.username, password: `${user.password}-wrong` },
      }),
    );
  }, opts.wrongEveryMs);
  return {
    counts: () => ({ correct, wrong }),
    async stop() {
      clearInterval(good);
      clearInterval(bad);
      await Promise.all(inFlight);
    },
  };
}
