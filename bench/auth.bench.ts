// What sign-in costs: one login (argon2id, 19 MiB, t=2), 40 concurrent logins (memory stays bounded:
// at most 4 hashes run at once), and a session-authenticated read against the same route with
// authentication off and a bare Fastify route. Prints figures; asserts nothing.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAuthService, openCoreContext } from '@meltano-ui/core';
import { buildServer } from '@meltano-ui/server';
import Fastify from 'fastify';
import { report } from './lib/report.js';

const MiB = 1024 * 1024;
const rss = () => process.memoryUsage().rss / MiB;
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-auth-'));
fs.writeFileSync(path.join(root, 'meltano.yml'), 'default_environment: dev\nenvironments: [{name: dev}]\n');
const secrets = { MELTANO_UI_SECRET_KEY: 'k'.repeat(64), MELTANO_UI_PASSWORD_SALT: 's'.repeat(64) };

async function server(authentication: boolean) {
  const core = await openCoreContext({
    projectRoot: root,
    env: { ...secrets, MELTANO_UI_AUTHENTICATION: String(authentication), PATH: process.env.PATH ?? '' },
  });
  // No sign-in limit here: the bench signs in many times on purpose.
  const loose = { limit: 1_000_000, windowMs: 1000 };
  const app = await buildServer({
    core,
    webRoot: null,
    loginThrottle: { perUsername: loose, perIp: loose },
  });
  await app.ready();
  return { core, app };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t = performance.now();
  const out = await fn();
  return [out, performance.now() - t];
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

async function perRequest(run: () => Promise<unknown>, n = 500): Promise<number> {
  for (let i = 0; i < 20; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push((await timed(run))[1]);
  return median(times);
}

const on = await server(true);
const auth = createAuthService({ db: on.core.db, passwordSalt: secrets.MELTANO_UI_PASSWORD_SALT });
await auth.users.create({ username: 'bench', password: 'bench-password', roles: ['regular'] });
const login = () =>
  on.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    headers: { 'x-requested-with': 'bench' },
    payload: { username: 'bench', password: 'bench-password' },
  });

const single: number[] = [];
for (let i = 0; i < 10; i++) single.push((await timed(login))[1]);
console.log(`sign-in (argon2id m=19 MiB t=2 p=1): median ${median(single).toFixed(0)} ms over 10`);

const before = rss();
let peak = before;
const sampler = setInterval(() => {
  peak = Math.max(peak, rss());
}, 5);
const [, flood] = await timed(() => Promise.all(Array.from({ length: 40 }, login)));
clearInterval(sampler);
console.log(
  `40 concurrent sign-ins: ${flood.toFixed(0)} ms in all; RSS ${before.toFixed(0)} → peak ${peak.toFixed(0)} MiB ` +
    `(+${(peak - before).toFixed(0)} MiB; 40 unbounded hashes would need ~${40 * 19} MiB)`,
);

const res = await login();
const cookie = res.cookies.find((c) => c.name === 'meltano_ui_session');
const headers = { cookie: `${cookie?.name}=${cookie?.value}` };
const withSession = await perRequest(() => on.app.inject({ url: '/api/v1/identity', headers }));
const wrongPassword = await perRequest(
  () =>
    on.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'x-requested-with': 'bench' },
      payload: { username: 'nobody', password: 'x' },
    }),
  10,
);

const off = await server(false);
const withoutAuth = await perRequest(() => off.app.inject({ url: '/api/v1/identity' }));
const bare = Fastify();
bare.get('/api/v1/identity', async () => ({ anonymous: true }));
await bare.ready();
const bareRoute = await perRequest(() => bare.inject({ url: '/api/v1/identity' }));

console.log(`GET /identity with a session cookie:  ${withSession.toFixed(2)} ms median`);
console.log(`GET /identity, authentication off:    ${withoutAuth.toFixed(2)} ms median`);
console.log(`bare Fastify route:                   ${bareRoute.toFixed(2)} ms median`);
console.log(`unknown user (dummy hash, same cost): ${wrongPassword.toFixed(0)} ms median`);
report({
  name: 'sign-in (argon2id m=19 MiB t=2), median',
  value: median(single),
  unit: 'ms',
  better: 'lower',
});
report({
  name: 'sign-in of an unknown user (dummy hash), median',
  value: wrongPassword,
  unit: 'ms',
  better: 'lower',
  baseline: { name: 'a real sign-in', value: median(single) },
  target: '≈ 1× (no user enumeration by timing)',
});

await on.app.close();
await on.core.close();
await off.app.close();
await off.core.close();
await bare.close();
fs.rmSync(root, { recursive: true, force: true });
