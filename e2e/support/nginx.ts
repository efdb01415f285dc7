import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { NGINX } from '../scripts/ensure-debian-packages.mjs';

export { NGINX };

export interface TlsProxy {
  /** https://localhost:<port> */
  url: string;
  port: number;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  // Below the kernel's range for outgoing connections' own ports: a port from that range can be
  // given to any connection made meanwhile (the UI's requests to itself, the test's) before the
  // server that was meant to have it listens; one e2e run failed with EADDRINUSE that way.
  const ephemeralLow = lowestEphemeralPort();
  if (ephemeralLow > 11_000) {
    for (let attempt = 0; attempt < 50; attempt += 1) {
      const port = 10_000 + Math.floor(Math.random() * (ephemeralLow - 10_000));
      if ((await listenOnce(port)) !== null) return port;
    }
  }
  const port = await listenOnce(0);
  if (port === null) throw new Error('no free port on 127.0.0.1');
  return port;
}

/** net.ipv4.ip_local_port_range's first port (Linux), else the IANA range's. */
function lowestEphemeralPort(): number {
  try {
    const low = Number(
      fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0],
    );
    return Number.isInteger(low) ? low : 49_152;
  } catch {
    return 49_152;
  }
}

/** Listens on `port` of 127.0.0.1 and closes again: the port it got, or null when it was taken. */
async function listenOnce(port: number): Promise<number | null> {
  const server = net.createServer();
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => resolve(true));
  });
  if (!listening) return null;
  const { port: got } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return got;
}

/** A fresh self-signed certificate for localhost in `dir` (cert.pem, key.pem). */
function selfSignedCertificate(dir: string): void {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
}

/**
 * nginx.conf for one TLS server on loopback `port`, its `location /` proxying to `proxyPass` the way
 * docker/ recommends: Host and Origin kept, X-Forwarded-Proto/-For set, no buffering (live logs are
 * Server-Sent Events). `httpExtra` goes into the http block (an upstream), `locationExtra` into the location.
 */
function tlsConfig(dir: string, port: number, proxyPass: string, httpExtra = '', locationExtra = ''): string {
  const temp = (name: string) => `${name}_temp_path ${path.join(dir, name)};`;
  return `
daemon off;
worker_processes 1;
pid ${path.join(dir, 'nginx.pid')};
error_log ${path.join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  ${httpExtra}
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_certificate ${path.join(dir, 'cert.pem')};
    ssl_certificate_key ${path.join(dir, 'key.pem')};
    location / {
      proxy_pass ${proxyPass};
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_buffering off;
      ${locationExtra}
    }
  }
}
`;
}

/** Starts nginx on the config in `dir` and waits until `port` accepts connections. */
async function runNginx(dir: string, port: number): Promise<TlsProxy> {
  const child: ChildProcess = spawn(
    NGINX,
    ['-p', dir, '-e', path.join(dir, 'error.log'), '-c', path.join(dir, 'nginx.conf')],
    { stdio: 'ignore' },
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Ready once it accepts connections.
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve(true);
      });
      socket.on('error', () => resolve(false));
    });
    if (up) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      const log = fs.existsSync(path.join(dir, 'error.log'))
        ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8')
        : '';
      throw new Error(`nginx did not start:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url: `https://localhost:${port}`,
    port,
    async stop() {
      child.kill('SIGQUIT');
      await exited;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Debian's nginx terminating TLS on loopback with a fresh self-signed certificate, proxying to `upstream`. */
export async function startTlsProxy(upstream: string): Promise<TlsProxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-nginx-'));
  selfSignedCertificate(dir);
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'nginx.conf'), tlsConfig(dir, port, `http://${new URL(upstream).host}`));
  return runNginx(dir, port);
}

/**
 * The same TLS proxy load-balancing `upstreams` round-robin, without sticky sessions (no ip_hash, no
 * cookie affinity), as docker/compose.yaml runs two replicas. Every response carries `X-Upstream` (the
 * replica's address) so a test can tell which replica answered. A replica that refuses connections is
 * skipped for that request and tried again on the next (max_fails=0), so a restarted one rejoins at once.
 */
export async function startLoadBalancer(upstreams: string[]): Promise<TlsProxy> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-nginx-lb-'));
  selfSignedCertificate(dir);
  const port = await freePort();
  const servers = upstreams.map((u) => `server ${new URL(u).host} max_fails=0;`).join(' ');
  fs.writeFileSync(
    path.join(dir, 'nginx.conf'),
    tlsConfig(
      dir,
      port,
      'http://meltano_ui',
      `upstream meltano_ui { ${servers} }`,
      'add_header X-Upstream $upstream_addr always;',
    ),
  );
  return runNginx(dir, port);
}
