import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT, readRuntimeStage } from '../src/dockerfile-stages.js';
import { composeSchemaValidator } from './support/compose-schema.js';
import { SECRET_SETTINGS } from './support/ui-settings.js';

const DOCKER_DIR = path.join(REPO_ROOT, 'docker');
const text = fs.readFileSync(path.join(DOCKER_DIR, 'compose.yaml'), 'utf8');
const compose = parse(text);
const { ui, postgres, nginx } = compose.services;
const image = readRuntimeStage();
const validate = composeSchemaValidator();

/** A short-syntax volume `source:target[:mode]` as {source, target, mode}. */
function mounts(service: { volumes?: string[] }) {
  return (service.volumes ?? []).map((v) => {
    const [source = '', target = '', mode = 'rw'] = v.split(':');
    return { source, target, mode };
  });
}

function parseEnvFile(file: string): Map<string, string> {
  const entries = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const);
  return new Map(entries);
}

const SECRET_NAME = /SECRET|PASSWORD|SALT|TOKEN|DATABASE_URI|PRIVATE/;

describe('docker/compose.yaml', () => {
  it('is valid against the Compose Specification schema', () => {
    const valid = validate(compose);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check has teeth: a misspelt key and a bad duration are refused', () => {
    expect(validate({ services: { ui: { image: 'x', replica: 2 } } })).toBe(false);
    expect(validate({ services: { ui: { image: 'x', stop_grace_period: '15 seconds' } } })).toBe(false);
    expect(validate({ services: { ui: { image: 'x', stop_grace_period: '1m30s' } } })).toBe(true);
  });

  it('runs two UI replicas that no fixed name or host port would stop from scaling', () => {
    expect(ui.deploy.replicas).toBe(2);
    expect(ui.container_name).toBeUndefined();
    expect(ui.ports).toBeUndefined();
    expect(ui.build).toMatchObject({ context: '..', dockerfile: 'docker/Dockerfile' });
    // The drain after SIGTERM (streams told to reconnect, DB closed) needs more than Docker's 10 s default.
    expect(ui.stop_grace_period).toMatch(/^(1[1-9]|[2-5]\d)s$/);
  });

  it('runs PostgreSQL 15 with a healthcheck and a named volume for its data', () => {
    expect(postgres.image).toBe('postgres:15');
    expect(postgres.healthcheck.test.join(' ')).toContain('pg_isready');
    const data = mounts(postgres).find((m) => m.target === '/var/lib/postgresql/data');
    expect(data?.source).toBe('pgdata');
    expect(Object.keys(compose.volumes)).toContain('pgdata');
  });

  it('shares named project and logs volumes between the replicas, where the image looks for them', () => {
    const byTarget = new Map(mounts(ui).map((m) => [m.target, m]));
    expect(byTarget.get(image.workdir)?.source).toBe('project');
    expect(byTarget.get(String(image.env.MELTANO_UI_LOGS_DIR))?.source).toBe('logs');
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(['project', 'logs']));
  });

  it('puts nginx in front with its config and a mounted certificate folder the cert script fills', () => {
    const byTarget = new Map(mounts(nginx).map((m) => [m.target, m]));
    expect(byTarget.get('/etc/nginx/nginx.conf')).toEqual({
      source: './nginx/nginx.conf',
      target: '/etc/nginx/nginx.conf',
      mode: 'ro',
    });
    expect(byTarget.get('/etc/nginx/certs')).toEqual({
      source: './nginx/certs',
      target: '/etc/nginx/certs',
      mode: 'ro',
    });
    const conf = fs.readFileSync(path.join(DOCKER_DIR, 'nginx', 'nginx.conf'), 'utf8');
    expect(conf).toContain('ssl_certificate /etc/nginx/certs/cert.pem;');
    expect(conf).toContain('ssl_certificate_key /etc/nginx/certs/key.pem;');
    const script = fs.readFileSync(path.join(DOCKER_DIR, 'nginx', 'make-self-signed-cert.sh'), 'utf8');
    expect(script).toContain('dir="$(dirname "$0")/certs"');
    expect(script).toMatch(/-keyout "\$dir\/key\.pem" -out "\$dir\/cert\.pem"/);
    expect(nginx.ports).toEqual(expect.arrayContaining(['443:443']));
  });

  it('starts each service once what it needs is healthy', () => {
    expect(ui.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    // The UI's health comes from the image's HEALTHCHECK (node against /api/v1/health).
    expect(nginx.depends_on).toEqual({ ui: { condition: 'service_healthy' } });
  });

  it('believes X-Forwarded-* only from the proxy network', () => {
    const subnet = compose.networks.proxy.ipam.config[0].subnet;
    expect(ui.environment.MELTANO_UI_FORWARDED_ALLOW_IPS).toBe(subnet);
    expect(nginx.networks).toEqual(['proxy']);
    expect(postgres.networks).toEqual(['db']);
  });

  it('takes secrets from the git-ignored env file, never from compose.yaml itself', () => {
    for (const [name, service] of Object.entries<{ env_file?: string; environment?: object }>(
      compose.services,
    )) {
      for (const key of Object.keys(service.environment ?? {})) {
        expect(key, `${name}.environment`).not.toMatch(SECRET_NAME);
      }
    }
    expect(ui.env_file).toBe('.env');
    expect(postgres.env_file).toBe('.env');
    expect(text).not.toMatch(/(SECRET|PASSWORD|SALT)[A-Z_]*\s*[:=]\s*\S/);
    expect(fs.readFileSync(path.join(REPO_ROOT, '.gitignore'), 'utf8').split('\n')).toContain('docker/.env');
  });

  it('env.example names every secret the UI and PostgreSQL read, with no value filled in', () => {
    const example = parseEnvFile(path.join(DOCKER_DIR, 'env.example'));
    for (const { envVar } of SECRET_SETTINGS) expect([...example.keys()], envVar).toContain(envVar);
    expect(example.has('POSTGRES_PASSWORD')).toBe(true);
    for (const [key, value] of example) {
      // The database URI shows its shape; its password is a placeholder.
      if (key === 'MELTANO_DATABASE_URI')
        expect(value).toMatch(/^postgresql:\/\/meltano:CHANGE_ME@postgres:5432\//);
      else if (SECRET_NAME.test(key)) expect(value, key).toBe('');
    }
  });
});
