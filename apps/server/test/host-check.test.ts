import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/test-app.js';

/** A request on a real socket, with whatever Host header an attacker's page would send. */
function viaSocket(port: number, pathname: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: pathname, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function webRootDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'host-check-web-'));
  fs.writeFileSync(path.join(dir, 'index.html'), '<html><head></head><body>app</body></html>');
  fs.mkdirSync(path.join(dir, 'assets'));
  fs.writeFileSync(path.join(dir, 'assets', 'app-1a2b3c.js'), 'console.log(1)');
  return dir;
}

/** Some address of this machine's network interfaces that is not loopback, if it has one. */
function interfaceAddress(): string | null {
  for (const list of Object.values(os.networkInterfaces())) {
    for (const info of list ?? []) if (!info.internal && info.family === 'IPv4') return info.address;
  }
  return null;
}

// DNS rebinding: a page on evil.example re-points its name at 127.0.0.1 and calls the UI from the
// browser, which sends `Host: evil.example`. Authentication is off and ui.server_name unset (defaults).
describe('Host check without ui.server_name (DNS rebinding)', () => {
  let app: TestApp;
  const web = webRootDir();
  beforeAll(async () => {
    app = await startTestApp('sqlite', { webRoot: web });
  });
  afterAll(async () => {
    await app.cleanup();
    fs.rmSync(web, { recursive: true, force: true });
  });

  it('refuses a foreign Host with 421 naming ui.allowed_hosts, on the API and the web app alike', async () => {
    for (const url of ['/api/v1/project', '/api/v1/runs', '/', '/pipelines', '/assets/app-1a2b3c.js']) {
      const res = await app.server.inject({ url, headers: { host: 'evil.example' } });
      expect([url, res.statusCode]).toEqual([url, 421]);
      expect(res.json()).toMatchObject({ error: true, code: 'host_not_allowed' });
      expect(res.json().message).toContain('ui.allowed_hosts (MELTANO_UI_ALLOWED_HOSTS');
      expect(res.body).not.toContain('app');
    }
    for (const host of ['evil.example:5000', 'evil.localhost.example', '127.0.0.1.nip.io', 'x@127.0.0.1']) {
      const res = await app.server.inject({ url: '/api/v1/project', headers: { host } });
      expect([host, res.statusCode]).toEqual([host, 421]);
    }
  });

  it('refuses the rebinding page adding a plugin (the attack), and writes nothing', async () => {
    const before = fs.readFileSync(path.join(app.root, 'meltano.yml'), 'utf8');
    const res = await app.server.inject({
      method: 'POST',
      url: '/api/v1/plugins',
      headers: { host: 'evil.example:5000', origin: 'http://evil.example:5000' },
      payload: { type: 'extractors', name: 'tap-evil', custom: true, namespace: 'x', pip_url: 'evil' },
    });
    expect(res.statusCode).toBe(421);
    expect(fs.readFileSync(path.join(app.root, 'meltano.yml'), 'utf8')).toBe(before);
  });

  it("answers for this machine's names and addresses", async () => {
    const hosts = [
      'localhost',
      'localhost:5000',
      'LOCALHOST.:5000',
      'ui.localhost:5000',
      '127.0.0.1:5000',
      '127.8.9.10',
      '[::1]:5000',
      os.hostname(),
      `${os.hostname()}:5000`,
      ...[interfaceAddress()].filter((a): a is string => a !== null),
    ];
    for (const host of hosts) {
      const res = await app.server.inject({ url: '/api/v1/project', headers: { host } });
      expect([host, res.statusCode]).toEqual([host, 200]);
    }
    const page = await app.server.inject({ url: '/', headers: { host: 'localhost:5000' } });
    expect([page.statusCode, page.body]).toEqual([200, expect.stringContaining('app')]);
  });

  it('keeps /api/v1/health open to any Host (load balancers probe by IP)', async () => {
    const res = await app.server.inject({ url: '/api/v1/health', headers: { host: 'lb-probe.internal' } });
    expect(res.statusCode).toBe(200);
  });

  it('does the same on a real listening socket', async () => {
    const socketApp = await startTestApp('sqlite', {});
    try {
      await socketApp.server.listen({ host: '127.0.0.1', port: 0 });
      const address = socketApp.server.server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      const foreign = await viaSocket(port, '/api/v1/project', 'evil.example');
      expect(foreign.status).toBe(421);
      expect(JSON.parse(foreign.body).code).toBe('host_not_allowed');
      expect((await viaSocket(port, '/api/v1/project', `127.0.0.1:${port}`)).status).toBe(200);
      expect((await viaSocket(port, '/api/v1/project', `localhost:${port}`)).status).toBe(200);
      expect((await viaSocket(port, '/api/v1/health', 'evil.example')).status).toBe(200);
    } finally {
      await socketApp.cleanup();
    }
  });
});

describe('ui.allowed_hosts', () => {
  it('adds names (any port, or the port given); * allows any Host', async () => {
    const app = await startTestApp('sqlite', {
      env: { MELTANO_UI_ALLOWED_HOSTS: 'meltano.internal, ops.example:8443' },
    });
    try {
      const status = async (host: string) =>
        (await app.server.inject({ url: '/api/v1/project', headers: { host } })).statusCode;
      expect(await status('meltano.internal')).toBe(200);
      expect(await status('MELTANO.internal:5000')).toBe(200);
      expect(await status('ops.example:8443')).toBe(200);
      expect(await status('ops.example')).toBe(421);
      expect(await status('evil.example')).toBe(421);
    } finally {
      await app.cleanup();
    }
    const open = await startTestApp('sqlite', { env: { MELTANO_UI_ALLOWED_HOSTS: '*' } });
    try {
      const res = await open.server.inject({ url: '/api/v1/project', headers: { host: 'anything.example' } });
      expect(res.statusCode).toBe(200);
    } finally {
      await open.cleanup();
    }
  });
});

describe('X-Forwarded-Host and the CSRF origin', () => {
  const SERVER_NAME = { MELTANO_UI_SERVER_NAME: 'ui.example.com' };
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp('sqlite', { env: SERVER_NAME });
  });
  afterAll(() => app.cleanup());

  // inject's peer is 127.0.0.1, which ui.forwarded_allow_ips trusts by default.
  it('ignores X-Forwarded-Host from a trusted proxy: the Host is what ui.server_name checks', async () => {
    const forged = await app.server.inject({
      url: '/api/v1/project',
      headers: { host: 'evil.example', 'x-forwarded-host': 'ui.example.com' },
    });
    expect([forged.statusCode, forged.json().code]).toEqual([404, 'unknown_host']);
    const local = await startTestApp('sqlite', {});
    try {
      const res = await local.server.inject({
        url: '/api/v1/project',
        headers: { host: 'evil.example', 'x-forwarded-host': 'localhost' },
      });
      expect(res.statusCode).toBe(421);
    } finally {
      await local.cleanup();
    }
  });

  it('believes X-Forwarded-Host with ui.trust_forwarded_host', async () => {
    const trusting = await startTestApp('sqlite', {
      env: { ...SERVER_NAME, MELTANO_UI_TRUST_FORWARDED_HOST: 'true' },
    });
    try {
      const res = await trusting.server.inject({
        url: '/api/v1/project',
        headers: { host: 'backend:5000', 'x-forwarded-host': 'ui.example.com' },
      });
      expect(res.statusCode).toBe(200);
    } finally {
      await trusting.cleanup();
    }
  });

  it('compares the whole origin: scheme, host and port (default ports normalised)', async () => {
    const post = (headers: Record<string, string>) =>
      app.server.inject({ method: 'POST', url: '/api/v1/runs/987654/cancel', headers });
    const refused = async (headers: Record<string, string>) => (await post(headers)).json().code;
    // Same host, other scheme or port: another site to a browser.
    expect(await refused({ host: 'ui.example.com:5000', origin: 'https://ui.example.com:5000' })).toBe(
      'csrf_rejected',
    );
    expect(await refused({ host: 'ui.example.com:5000', origin: 'http://ui.example.com' })).toBe(
      'csrf_rejected',
    );
    expect(await refused({ host: 'ui.example.com:5000', origin: 'http://ui.example.com:5001' })).toBe(
      'csrf_rejected',
    );
    const hint = (await post({ host: 'ui.example.com', origin: 'https://ui.example.com' })).json().message;
    expect(hint).toContain('ui.forwarded_allow_ips');
    // The own origin passes the check (the run does not exist: 404).
    expect(
      (await post({ host: 'ui.example.com:5000', origin: 'http://ui.example.com:5000' })).statusCode,
    ).toBe(404);
    expect((await post({ host: 'ui.example.com:80', origin: 'http://ui.example.com' })).statusCode).toBe(404);
    expect(
      (await post({ host: 'ui.example.com', referer: 'http://ui.example.com:80/runs' })).statusCode,
    ).toBe(404);
    // Behind a trusted TLS proxy the scheme is X-Forwarded-Proto's.
    const tls = { host: 'ui.example.com', 'x-forwarded-proto': 'https' };
    expect((await post({ ...tls, origin: 'https://ui.example.com' })).statusCode).toBe(404);
    expect((await post({ ...tls, origin: 'https://ui.example.com:443' })).statusCode).toBe(404);
    expect(await refused({ ...tls, origin: 'http://ui.example.com' })).toBe('csrf_rejected');
  });
});
