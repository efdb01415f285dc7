import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startTestApp, type TestApp } from './support/test-app.js';

const AUTH_ENV = {
  MELTANO_UI_AUTHENTICATION: 'true',
  MELTANO_UI_LEGACY_PASSWORD_SALT: 'fixture-salt-7f3a9c',
};
// Many sign-ins from one test client: the limits are not what is tested here.
const LOOSE = { limit: 10_000, windowMs: 60_000 };
const ALICE = { username: 'alice', password: 'S3cret-pass' };

type Change = { method: 'PATCH'; payload: Record<string, unknown> } | { method: 'DELETE' };
interface Admin {
  username: string;
  password: string;
  id: string;
  cookie: string;
}

describe.each(DIALECTS)('the last active admin under concurrent changes (%s)', (dialect) => {
  let app: TestApp;
  const inject = (opts: InjectOptions) => app.server.inject(opts);
  const signIn = async (who: { username: string; password: string }) => {
    const payload = { username: who.username, password: who.password };
    const res = await inject({ method: 'POST', url: '/api/v1/auth/login', payload });
    expect(res.statusCode, res.body).toBe(200);
    const cookie = res.cookies.find((c) => c.name.endsWith('meltano_ui_session'));
    return `${cookie?.name}=${cookie?.value}`;
  };
  const users = async (cookie: string) =>
    (await inject({ url: '/api/v1/users', headers: { cookie } })).json().users as {
      id: string;
      username: string;
      role: string;
      active: boolean;
    }[];

  // The only active admin between cases: alice at first, then whoever won the last race.
  let admin: { username: string; password: string } = ALICE;
  let round = 0;

  /** Two new active admins, signed in, and nobody else admin (the previous one is removed). */
  async function twoAdmins(): Promise<[Admin, Admin]> {
    round++;
    const cookie = await signIn(admin);
    const pair = [`x${round}`, `y${round}`].map((username) => ({
      username,
      password: `${username}-password`,
    }));
    for (const who of pair) {
      const created = await inject({
        method: 'POST',
        url: '/api/v1/users',
        headers: { cookie },
        payload: { ...who, roles: ['admin'] },
      });
      expect(created.statusCode, created.body).toBe(201);
    }
    const all = await users(cookie);
    const [x, y] = await Promise.all(
      pair.map(async (who) => ({
        ...who,
        id: all.find((u) => u.username === who.username)?.id ?? '',
        cookie: await signIn(who),
      })),
    );
    if (x === undefined || y === undefined) throw new Error('two admins expected');
    const previous = all.find((u) => u.username === admin.username)?.id;
    const removed = await inject({
      method: 'DELETE',
      url: `/api/v1/users/${previous}`,
      headers: { cookie: x.cookie },
    });
    expect(removed.statusCode, removed.body).toBe(204);
    return [x, y];
  }

  beforeAll(async () => {
    app = await startTestApp(dialect, {
      version: 'v2.20.0',
      env: AUTH_ENV,
      loginThrottle: { perUsername: LOOSE, perIp: LOOSE },
    });
  });
  afterAll(() => app.cleanup());

  const cases: [string, Change, Change][] = [
    [
      'demote each other',
      { method: 'PATCH', payload: { roles: [] } },
      { method: 'PATCH', payload: { roles: [] } },
    ],
    [
      'disable each other',
      { method: 'PATCH', payload: { active: false } },
      { method: 'PATCH', payload: { active: false } },
    ],
    ['remove each other', { method: 'DELETE' }, { method: 'DELETE' }],
    ['one removes, one demotes', { method: 'DELETE' }, { method: 'PATCH', payload: { roles: ['viewer'] } }],
  ];

  it.each(cases)(
    'two admins who %s at once: exactly one succeeds, one active admin is left',
    async (_name, first, second) => {
      const [x, y] = await twoAdmins();
      const send = (by: Admin, target: Admin, change: Change) =>
        inject({
          method: change.method,
          url: `/api/v1/users/${target.id}`,
          headers: { cookie: by.cookie },
          ...(change.method === 'PATCH' ? { payload: change.payload } : {}),
        });
      const answers = await Promise.all([send(x, y, first), send(y, x, second)]);
      const succeeded = answers.filter((a) => a.statusCode < 300);
      expect(succeeded).toHaveLength(1);
      // The other is refused: 409 last_admin when both passed sign-in before either change, else 401/403
      // (the winner's change already ended the loser's session or admin role).
      const refused = answers.find((a) => a.statusCode >= 300);
      expect([401, 403, 409]).toContain(refused?.statusCode);
      if (refused?.statusCode === 409) expect(refused.json().code).toBe('last_admin');
      admin = answers[0] === succeeded[0] ? x : y;
      const admins = (await users(await signIn(admin))).filter((u) => u.active && u.role === 'admin');
      expect(admins.map((u) => u.username)).toEqual([admin.username]);
    },
  );
});
