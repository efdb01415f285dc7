// The two servers every HTTP bench compares: the UI as users run it (the built launcher, `meltano ui`,
// authentication on, fresh secrets) and a bare Fastify hello-world in its own process.
import { type ChildProcess, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { STANDIN } from '../soak/fixture-project.js';
import { addUser, requireBuild, rssOf, startUi, type UiProcess } from '../soak/ui-process.js';

export { addUser, requireBuild, rssOf, startUi, type UiProcess };

const HELLO = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'soak', 'hello-server.mjs');

/** The environment `meltano ui` gets: authentication on, fresh secrets, the Meltano-CLI stand-in (NOT the real Meltano), no Hub. */
export function uiEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('MELTANO') && !k.startsWith('STANDIN')),
  );
  return {
    ...inherited,
    HOME: fs.mkdtempSync(path.join(os.tmpdir(), 'bench-home-')),
    MELTANO_UI_AUTHENTICATION: 'true',
    MELTANO_UI_SECRET_KEY: crypto.randomBytes(32).toString('hex'),
    MELTANO_UI_PASSWORD_SALT: crypto.randomBytes(32).toString('hex'),
    MELTANO_UI_MELTANO_EXECUTABLE: STANDIN,
    MELTANO_HUB_URL: 'http://127.0.0.1:9',
    ...extra,
  };
}

/** Signs `username` in; the session cookie to send. */
export async function signIn(url: string, username: string, password: string): Promise<string> {
  const res = await request(`${url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-requested-with': 'XMLHttpRequest', origin: url },
    body: JSON.stringify({ username, password }),
  });
  await res.body.text();
  const cookie = [res.headers['set-cookie']].flat().find((c) => c?.includes('session'));
  if (res.statusCode !== 200 || !cookie) throw new Error(`sign-in of ${username} answered ${res.statusCode}`);
  return cookie.split(';')[0] ?? '';
}

export interface BareServer {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/** The baseline: a bare Fastify 5 hello-world (`GET /` → `{"hello":"world"}`), in its own process. */
export async function startBareFastify(): Promise<BareServer> {
  const child: ChildProcess = spawn(process.execPath, [HELLO], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening at (\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the bare Fastify server exited with ${code}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    pid: child.pid!,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
