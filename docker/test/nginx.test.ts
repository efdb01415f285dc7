import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NginxParser } from 'nginx-conf';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { NGINX } from '../../e2e/scripts/ensure-debian-packages.mjs';
import { REPO_ROOT, readRuntimeStage } from '../src/dockerfile-stages.js';

const NGINX_DIR = path.join(REPO_ROOT, 'docker', 'nginx');
const source = fs.readFileSync(path.join(NGINX_DIR, 'nginx.conf'), 'utf8');
const compose = parseYaml(fs.readFileSync(path.join(REPO_ROOT, 'docker', 'compose.yaml'), 'utf8'));
const image = readRuntimeStage();

/** A directive or block of nginx-conf's parse tree (its ConfNode, which index.d.ts omits). */
interface ConfNode {
  name: string;
  value: string;
  children: ConfNode[] | null;
}

function parseConf(text: string): ConfNode {
  let tree: ConfNode | undefined;
  new NginxParser().parse(text, (error, parsed) => {
    if (error) throw error;
    tree = parsed;
  });
  if (!tree) throw new Error('nginx.conf did not parse');
  return tree;
}

const children = (node: ConfNode, name: string) => (node.children ?? []).filter((c) => c.name === name);
const values = (node: ConfNode, name: string) => children(node, name).map((c) => c.value);
const only = (node: ConfNode, name: string) => {
  const [first, ...rest] = children(node, name);
  if (!first || rest.length > 0) throw new Error(`expected one ${name} in ${node.name} ${node.value}`);
  return first;
};

const http = only(parseConf(source), 'http');
const tlsServer = children(http, 'server').find((s) => values(s, 'listen').some((l) => /\bssl\b/.test(l)));
if (!tlsServer) throw new Error('nginx.conf has no TLS server');
const locations = children(tlsServer, 'location');

// The live-log route as the server declares it (apps/server/openapi.json), with a real-looking id.
const openapi = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'apps', 'server', 'openapi.json'), 'utf8'));
const STREAM_PATH = '/api/v1/runs/{id}/log/stream';

/** nginx's choice among this server's prefix and regex locations (no nested locations here). */
function locationFor(uri: string): ConfNode | undefined {
  const regex = locations.find((l) => {
    const m = /^(~\*?)\s+(.+)$/.exec(l.value);
    return m?.[2] !== undefined && new RegExp(m[2], m[1] === '~*' ? 'i' : '').test(uri);
  });
  if (regex) return regex;
  return locations
    .filter((l) => !l.value.startsWith('~') && uri.startsWith(l.value))
    .sort((a, b) => b.value.length - a.value.length)[0];
}

describe('docker/nginx/nginx.conf', () => {
  it('load-balances one upstream over the compose service that runs both replicas', () => {
    const upstream = only(http, 'upstream');
    expect(values(upstream, 'server')).toEqual([`ui:${image.exposed[0]}`]);
    // Docker's DNS answers `ui` with every replica's address; nginx makes each a peer (round-robin).
    expect(compose.services.ui.deploy.replicas).toBe(2);
    expect(values(upstream, 'ip_hash')).toEqual([]);
    expect(values(upstream, 'sticky')).toEqual([]);
    for (const location of locations)
      expect(values(location, 'proxy_pass')).toEqual([`http://${upstream.value}`]);
  });

  it('streams live logs unbuffered with a read timeout longer than a quiet run', () => {
    expect(Object.keys(openapi.paths)).toContain(STREAM_PATH);
    const uri = STREAM_PATH.replace('{id}', '0b6f0c84-7d1a-4d3e-9c55-4a1f0e8a2b11');
    const stream = locationFor(uri);
    expect(stream?.value).not.toBe('/');
    expect(stream && values(stream, 'proxy_buffering')).toEqual(['off']);
    const timeout = stream ? values(stream, 'proxy_read_timeout')[0] : undefined;
    expect(timeout).toMatch(/^(\d+h|[6-9]\d{2,}s?|\d{4,}s?)$/);
    // Only the stream: the other log routes keep normal buffering.
    expect(locationFor(uri.replace(/\/stream$/, ''))?.value).toBe('/');
    expect(locationFor(`${uri.replace(/\/stream$/, '')}/download`)?.value).toBe('/');
  });

  it("passes the client's Host and the X-Forwarded-Proto/For/Host the UI trusts from the proxy", () => {
    const headers = values(tlsServer, 'proxy_set_header');
    expect(headers).toEqual(
      expect.arrayContaining([
        'Host $http_host',
        'X-Forwarded-Proto $scheme',
        'X-Forwarded-For $proxy_add_x_forwarded_for',
        'X-Forwarded-Host $http_host',
      ]),
    );
    // A location with its own proxy_set_header would drop every header above (nginx does not merge).
    for (const location of locations) expect(values(location, 'proxy_set_header')).toEqual([]);
  });

  it('redirects plain HTTP to HTTPS', () => {
    const plain = children(http, 'server').find((s) => values(s, 'listen').includes('80'));
    expect(plain && values(plain, 'return')).toEqual(['301 https://$host$request_uri']);
  });

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'docker-nginx-t-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it.skipIf(!fs.existsSync(NGINX))('passes `nginx -t` with a pair from make-self-signed-cert.sh', () => {
    // The cert script writes beside itself: run a copy so the repository's certs folder stays untouched.
    fs.mkdirSync(path.join(tmp, 'nginx'));
    fs.copyFileSync(path.join(NGINX_DIR, 'make-self-signed-cert.sh'), path.join(tmp, 'nginx', 'cert.sh'));
    execFileSync('sh', [path.join(tmp, 'nginx', 'cert.sh'), 'meltano.example.com'], { stdio: 'ignore' });
    // Two substitutions, nothing else: the certificate folder compose mounts, and the service name
    // only Docker's DNS resolves (nginx resolves upstream names while testing the config).
    const conf = source
      .replaceAll('/etc/nginx/certs/', `${path.join(tmp, 'nginx', 'certs')}/`)
      .replace(`server ui:${image.exposed[0]};`, `server 127.0.0.1:${image.exposed[0]};`);
    expect(conf.match(new RegExp(path.join(tmp, 'nginx', 'certs'), 'g'))).toHaveLength(2);
    expect(conf).toContain('server 127.0.0.1:');
    fs.writeFileSync(path.join(tmp, 'nginx.conf'), conf);
    const result = spawnSync(
      NGINX,
      ['-t', '-q', '-p', tmp, '-e', path.join(tmp, 'error.log'), '-c', path.join(tmp, 'nginx.conf')],
      { encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  if (!fs.existsSync(NGINX)) {
    process.stdout.write(`skipped: nginx -t of docker/nginx/nginx.conf (${NGINX} is not installed)\n`);
  }
});
