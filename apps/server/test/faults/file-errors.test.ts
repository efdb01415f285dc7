import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meltanoCli, startUiProcess, type UiProcess } from '../fuzz/ui-process.js';
import { copyWritable, REAL_MELTANO, TEST_SECRETS } from '../support/test-app.js';
import { timedFetch } from './timed-fetch.js';

// The built `meltano ui` meeting files it cannot write or read: a file size limit (RLIMIT_FSIZE,
// set on the running server with prlimit, as a full disk would refuse a write) and logs it may not
// open. Node ignores SIGXFSZ, so the limit shows as EFBIG on the write instead of killing the server.
const RUN_15_LOG =
  '.meltano/logs/elt/devtap-demo-slow-to-target-demo/01a1fc6c-03a9-706a-8239-cbc659a19680/elt.log';

function leftoverTempFiles(dir: string): string[] {
  return fs.readdirSync(dir).filter((name) => name.endsWith('.tmp'));
}

describe('a write that does not fit (file size limit)', () => {
  let root: string;
  let home: string;
  let ui: UiProcess;

  beforeAll(async () => {
    root = copyWritable(path.join(REAL_MELTANO, 'v3.9.5', 'project'));
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'disk-full-home-'));
    ui = await startUiProcess(root, {
      HOME: home,
      PATH: process.env.PATH ?? '',
      MELTANO_HUB_URL: 'http://127.0.0.1:9',
    });
  });
  afterAll(async () => {
    await ui?.stop();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  const limitFileSize = (bytes: number | 'unlimited') =>
    execFileSync('prlimit', ['--pid', String(ui.pid), `--fsize=${bytes}:unlimited`]);

  it('answers 507 naming meltano.yml, leaves it byte for byte, no temp file, and the server lives on', async () => {
    const yml = path.join(root, 'meltano.yml');
    const before = fs.readFileSync(yml);
    expect(before.length).toBeGreaterThan(1024);
    limitFileSize(1024);
    try {
      const writes = [
        timedFetch(ui.url, '/api/v1/schedules/daily-demo', {
          method: 'PATCH',
          body: { interval: '@hourly' },
        }),
        timedFetch(ui.url, '/api/v1/plugins/extractors/tap-demo/settings/mode', {
          method: 'PUT',
          body: { value: 'limited' },
        }),
      ];
      for (const answer of await Promise.all(writes)) {
        expect({ target: answer.target, status: answer.status, code: answer.json?.code }).toEqual({
          target: answer.target,
          status: 507,
          code: 'file_too_large',
        });
        expect(answer.json?.message).toMatch(
          /^Could not write .*meltano\.yml: .*\(EFBIG\); it was left as it was\.$/,
        );
        expect(answer.json?.details).toEqual({ errno: 'EFBIG' });
      }
      expect(fs.readFileSync(yml).equals(before)).toBe(true);
      expect(leftoverTempFiles(root)).toEqual([]);
      expect(ui.alive()).toBe(true);
      const next = await timedFetch(ui.url, '/api/v1/schedules/daily-demo');
      expect(next).toMatchObject({ status: 200, json: { name: 'daily-demo', interval: '@daily' } });
    } finally {
      limitFileSize('unlimited');
    }
    // Room again: the same write goes through, no restart needed.
    const retried = await timedFetch(ui.url, '/api/v1/schedules/daily-demo', {
      method: 'PATCH',
      body: { interval: '@hourly' },
    });
    expect(retried.status).toBe(200);
    expect(fs.readFileSync(yml, 'utf8')).toContain("interval: '@hourly'");
    expect(ui.output()).not.toContain('unhandled error');
  });
});

describe('a write to a full disk (a 2 MiB tmpfs, where mounting is allowed)', () => {
  let mountPoint: string;
  let root: string;
  let home: string;
  let ui: UiProcess | null = null;
  let mounted = false;

  beforeAll(async () => {
    mountPoint = fs.mkdtempSync(path.join(os.tmpdir(), 'disk-full-tmpfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', mountPoint], { stdio: 'pipe' });
      mounted = true;
    } catch (err) {
      console.log(`skipped: the full-disk case needs to mount a tmpfs (${String(err).split('\n')[0]})`);
      return;
    }
    root = path.join(mountPoint, 'project');
    fs.cpSync(path.join(REAL_MELTANO, 'v3.9.5', 'project'), root, { recursive: true });
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'disk-full-home-'));
    ui = await startUiProcess(root, {
      HOME: home,
      PATH: process.env.PATH ?? '',
      MELTANO_HUB_URL: 'http://127.0.0.1:9',
    });
  });
  afterAll(async () => {
    await ui?.stop();
    if (mounted) execFileSync('umount', ['-l', mountPoint]);
    fs.rmSync(mountPoint, { recursive: true, force: true });
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('answers 507 disk_full, leaves meltano.yml and no temp or lock file, and writes once there is room', async (ctx) => {
    if (!mounted || ui === null) return ctx.skip();
    const yml = path.join(root, 'meltano.yml');
    const before = fs.readFileSync(yml);
    const filler = path.join(mountPoint, 'filler');
    // Fill every block: dd stops with ENOSPC, which is the point.
    spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=64k']);
    const answer = await timedFetch(ui.url, '/api/v1/schedules/daily-demo', {
      method: 'PATCH',
      body: { interval: '@hourly' },
    });
    expect({ status: answer.status, code: answer.json?.code }).toEqual({ status: 507, code: 'disk_full' });
    expect(answer.json?.message).toMatch(/no space is left on its disk \(ENOSPC\)/);
    expect(fs.readFileSync(yml).equals(before)).toBe(true);
    expect(leftoverTempFiles(root)).toEqual([]);
    expect(fs.existsSync(path.join(root, '.meltano', 'run', 'meltano.yml.lock.ui'))).toBe(false);
    expect((await timedFetch(ui.url, '/api/v1/schedules/daily-demo')).status).toBe(200);
    fs.rmSync(filler);
    const retried = await timedFetch(ui.url, '/api/v1/schedules/daily-demo', {
      method: 'PATCH',
      body: { interval: '@hourly' },
    });
    expect(retried.status).toBe(200);
    expect(ui.alive()).toBe(true);
  });
});

describe('a run log the server cannot read', () => {
  let root: string;
  let home: string;
  let ui: UiProcess;
  let viewer: string;
  const log = () => path.join(root, RUN_15_LOG);

  beforeAll(async () => {
    root = copyWritable(path.join(REAL_MELTANO, 'v3.9.5', 'project'));
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'unreadable-home-'));
    fs.chmodSync(home, 0o755);
    const env = {
      HOME: home,
      PATH: process.env.PATH ?? '',
      ...TEST_SECRETS,
      MELTANO_UI_AUTHENTICATION: 'true',
      MELTANO_HUB_URL: 'http://127.0.0.1:9',
    };
    meltanoCli(
      ['user', 'add', 'log-viewer', 'log-viewer-password', '-G', 'viewer', '--project-root', root],
      root,
      env,
    );
    // Root reads any file whatever its mode: the server runs as nobody, owning the project as a
    // deployment's service user would.
    const as = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    if (as !== undefined) {
      for (const dir of [root, home]) execFileSync('chown', ['-R', `${as.uid}:${as.gid}`, dir]);
    }
    ui = await startUiProcess(root, env, as);
    const res = await fetch(new URL('/api/v1/auth/login', ui.url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-requested-with': 'meltano-ui-test' },
      body: JSON.stringify({ username: 'log-viewer', password: 'log-viewer-password' }),
    });
    expect(res.status).toBe(200);
    viewer = (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  });
  afterAll(async () => {
    await ui?.stop();
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(home, { recursive: true, force: true });
  });

  const read = (suffix: string) =>
    timedFetch(ui.url, `/api/v1/runs/15/log${suffix}`, { headers: { cookie: viewer } }, 10_000);

  /** The data of the live log's first `error` event (within 10 s). */
  async function firstErrorEvent(): Promise<string> {
    const res = await fetch(new URL('/api/v1/runs/15/log/stream', ui.url), {
      headers: { cookie: viewer },
      signal: AbortSignal.timeout(10_000),
    });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    try {
      for (;;) {
        const match = /event: error\ndata: (.*)\n/.exec(text);
        if (match?.[1]) return match[1];
        const { value, done } = await reader.read();
        if (done) throw new Error(`stream ended without an error event: ${text}`);
        text += new TextDecoder().decode(value);
      }
    } finally {
      await reader.cancel().catch(() => {});
    }
  }

  it('permissions 000: 503 file_permission_denied naming the log relative to the project', async () => {
    fs.chmodSync(log(), 0o000);
    try {
      for (const suffix of ['', '/download', '/search?q=extract']) {
        const answer = await read(suffix);
        expect({ suffix, status: answer.status, code: answer.json?.code }).toEqual({
          suffix,
          status: 503,
          code: 'file_permission_denied',
        });
        expect(answer.json?.message).toBe(
          `Could not open ${RUN_15_LOG}: the server's user has no permission (EACCES).`,
        );
        expect(answer.body).not.toContain(root);
      }
      // The live log has already answered 200 when it first reads: it says so in an `error` event.
      const event = await firstErrorEvent();
      expect(JSON.parse(event)).toEqual({
        code: 'file_permission_denied',
        message: `Could not open ${RUN_15_LOG}: the server's user has no permission (EACCES).`,
      });
    } finally {
      fs.chmodSync(log(), 0o644);
    }
    expect((await read('')).status).toBe(200);
  });

  it.each([
    ['a folder', (file: string) => fs.mkdirSync(file)],
    ['a FIFO', (file: string) => execFileSync('mkfifo', [file])],
  ])('%s where the log should be: a clear 4xx at once, never a 500 or a hang', async (_what, make) => {
    const saved = `${log()}.saved`;
    fs.renameSync(log(), saved);
    make(log());
    try {
      for (const suffix of ['', '/download', '/search?q=extract']) {
        const answer = await read(suffix);
        expect({ suffix, status: answer.status, code: answer.json?.code, fast: answer.ms < 5_000 }).toEqual({
          suffix,
          status: 404,
          code: 'log_not_found',
          fast: true,
        });
      }
    } finally {
      fs.rmSync(log(), { recursive: true, force: true });
      fs.renameSync(saved, log());
    }
    expect((await read('')).status).toBe(200);
    expect(ui.alive()).toBe(true);
  });

  it('lived on through it all', async () => {
    expect((await timedFetch(ui.url, '/api/v1/health')).status).toBe(200);
    expect(ui.output()).not.toContain('unhandled error');
  });
});
