import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shownUrl } from '../src/commands/shown-url.js';
import { startUi } from './support/start-ui.js';

// The built launcher, as users run it (`pnpm build` makes dist/).
const BIN = fileURLToPath(new URL('../bin/meltano.js', import.meta.url));
const QUERY_SECRET = 'query-secret-5f1c9e7a';

let root: string;

beforeAll(() => {
  if (!fs.existsSync(fileURLToPath(new URL('../dist/main.js', import.meta.url)))) {
    throw new Error('apps/cli is not built: run `pnpm build` first');
  }
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-logs-'));
  fs.writeFileSync(path.join(root, 'meltano.yml'), "ui:\n  bind_host: '127.0.0.1'\n");
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

const jsonLines = (out: string) =>
  out
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('the server log of `meltano ui`', () => {
  it('JSON lines when stdout is not a terminal, at MELTANO_CLI_LOG_LEVEL, with tokens redacted from URLs', async () => {
    const ui = startUi(root, BIN, ['ui'], { MELTANO_CLI_LOG_LEVEL: 'debug' });
    const url = await ui.url;
    expect((await fetch(`${url}api/v1/health`)).status).toBe(200);
    expect((await fetch(`${url}api/v1/runs?limit=1&token=${QUERY_SECRET}`)).status).toBe(200);
    // The server's own readiness request once its start-up work is done (warmRequestPath), whenever
    // that comes relative to ours.
    for (let waited = 0; !ui.output().includes('"route":"/api/v1/ready"'); waited += 50) {
      if (waited > 10_000) throw new Error('the server never asked its own /api/v1/ready');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    ui.child.kill('SIGTERM');
    expect(await ui.exited).toBe(0);
    const lines = jsonLines(ui.output());
    expect(lines.find((l) => l.msg === `Meltano UI is ready at ${url}`)).toMatchObject({
      level: 30,
      url,
      listening: url,
    });
    const requests = lines.filter((l) => l.status !== undefined);
    const shown = (l: Record<string, unknown>) => [l.level, l.method, l.route, l.url, l.status, l.user];
    expect(requests.filter((l) => l.route === '/api/v1/ready').map(shown)).toEqual([
      [20, 'GET', '/api/v1/ready', '/api/v1/ready', 200, 'anonymous'],
    ]);
    // The launcher's own probe before it prints the URL, then ours.
    expect(requests.filter((l) => l.route !== '/api/v1/ready').map(shown)).toEqual([
      [20, 'GET', '/api/v1/health', '/api/v1/health', 200, 'anonymous'],
      [20, 'GET', '/api/v1/health', '/api/v1/health', 200, 'anonymous'],
      [30, 'GET', '/api/v1/runs', '/api/v1/runs?limit=1&token=(redacted)', 200, 'anonymous'],
    ]);
    expect(ui.output()).not.toContain(QUERY_SECRET);
  });

  it('reads cli.log_level from meltano.yml like Meltano, and refuses a level Meltano would', async () => {
    const project = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-logs-level-'));
    try {
      fs.writeFileSync(
        path.join(project, 'meltano.yml'),
        "ui:\n  bind_host: '127.0.0.1'\ncli:\n  log_level: warning\n",
      );
      const ui = startUi(project, BIN, ['ui']);
      const url = await ui.url;
      expect((await fetch(`${url}api/v1/runs`)).status).toBe(200);
      ui.child.kill('SIGTERM');
      expect(await ui.exited).toBe(0);
      // Warnings (auth off on this machine is no warning) and up only: no info line at all.
      expect(jsonLines(ui.output()).filter((l) => Number(l.level) < 40)).toEqual([]);

      const bad = spawnSync(process.execPath, [BIN, 'ui', '--project-root', project], {
        encoding: 'utf8',
        env: { ...process.env, MELTANO_CLI_LOG_LEVEL: 'verbose', MELTANO_UI_BIND_PORT: '0' },
      });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain(
        'meltano ui: cli.log_level must be one of debug, info, warning, error, critical, got "verbose"',
      );
    } finally {
      fs.rmSync(project, { recursive: true, force: true });
    }
  });

  it('with ui.server_name the printed URL uses it, and it answers', async () => {
    const ui = startUi(root, BIN, ['ui'], { MELTANO_UI_SERVER_NAME: 'localhost' });
    const url = await ui.url;
    expect(url).toMatch(/^http:\/\/localhost:\d+\/$/);
    expect((await fetch(`${url}api/v1/project`)).status).toBe(200);
    // The machine's own address is not that name: the host check refuses it, as it should.
    const local = url.replace('localhost', '127.0.0.1');
    expect((await fetch(`${local}api/v1/project`)).status).toBe(404);
    ui.child.kill('SIGTERM');
    expect(await ui.exited).toBe(0);
  });

  it('pretty, colourised lines on a terminal (a pseudo-terminal from `script`)', async () => {
    if (spawnSync('script', ['--version']).status !== 0) return;
    const command = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ui --project-root ${JSON.stringify(root)}`;
    const child = spawn('script', ['-qfec', command, '/dev/null'], {
      env: { ...process.env, MELTANO_UI_BIND_PORT: '0', MELTANO_UI_BIND_HOST: '0.0.0.0', TERM: 'xterm' },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL printed:\n${out}`)), 20_000);
        child.stdout.on('data', () => {
          const m = /Meltano UI is running at (http:\/\/\S+)/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
      });
      // 0.0.0.0 is no address to open: the banner names one that reaches the socket.
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
      expect((await fetch(`${url}api/v1/runs?token=${QUERY_SECRET}`)).status).toBe(200);
      const line = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no request line:\n${out}`)), 10_000);
        const look = () => {
          const found = out.split('\n').find((l) => l.includes('GET /api/v1/runs?token='));
          if (found) {
            clearTimeout(timer);
            resolve(found);
          } else setTimeout(look, 50);
        };
        look();
      });
      // ANSI colour escapes, the level as a word, and one readable line, not JSON.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: ESC starts every colour escape.
      const colour = /\x1b\[[0-9;]*m/g;
      expect(line).toMatch(colour);
      const plain = line.replace(colour, '');
      expect(plain).toMatch(
        /^\[\d\d:\d\d:\d\d\] INFO: GET \/api\/v1\/runs\?token=\(redacted\) 200 [\d.]+ms anonymous/,
      );
      // On a terminal the warning is a banner line, not a log record repeating it.
      expect(out).toMatch(/\n {2}Warning: Authentication is OFF and the UI listens on 0\.0\.0\.0/);
      expect(out).toMatch(/\n {2}Meltano {2}runs unavailable: /);
      expect(out).not.toMatch(/^\{"level"/m);
      expect(out).not.toContain(QUERY_SECRET);
    } finally {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  });
});

describe('shownUrl', () => {
  const base = { bindHost: '0.0.0.0', port: 5000, basePath: '', secureCookies: false, serverName: null };
  it('names a reachable local address without ui.server_name', () => {
    expect(shownUrl(base)).toBe('http://127.0.0.1:5000/');
    expect(shownUrl({ ...base, bindHost: '::' })).toBe('http://[::1]:5000/');
    expect(shownUrl({ ...base, bindHost: '10.0.0.4', basePath: '/meltano' })).toBe(
      'http://10.0.0.4:5000/meltano/',
    );
  });
  it('uses ui.server_name: https behind a TLS proxy (Secure-only cookies), else the port it listens on', () => {
    const named = { ...base, serverName: 'meltano.example.com' };
    expect(shownUrl(named)).toBe('http://meltano.example.com:5000/');
    expect(shownUrl({ ...named, secureCookies: true, basePath: '/meltano' })).toBe(
      'https://meltano.example.com/meltano/',
    );
    expect(shownUrl({ ...named, serverName: 'meltano.example.com:8443', secureCookies: true })).toBe(
      'https://meltano.example.com:8443/',
    );
    expect(shownUrl({ ...named, serverName: 'https://meltano.example.com/' })).toBe(
      'https://meltano.example.com/',
    );
    expect(shownUrl({ ...named, port: 80 })).toBe('http://meltano.example.com/');
  });
});
