import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CoreError, NotFoundError } from '../../src/errors.js';
import { HubClient, sharedHubClient } from '../../src/plugin-catalog/hub-client.js';

/** A local imitation of Meltano Hub's API: never the real hub in tests. */
interface FakeHub {
  url: string;
  requests: { path: string; auth: string | undefined; agent: string | undefined }[];
  respond: (path: string) => { status: number; body: unknown } | 'hang';
  close(): Promise<void>;
}

async function startFakeHub(): Promise<FakeHub> {
  const hub: FakeHub = {
    url: '',
    requests: [],
    respond: () => ({ status: 404, body: { message: 'Not found' } }),
    close: async () => {},
  };
  const hanging = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').replace(/^\/meltano\/api\/v1/, '');
    hub.requests.push({ path, auth: req.headers.authorization, agent: req.headers['user-agent'] });
    const answer = hub.respond(path);
    if (answer === 'hang') {
      hanging.add(res);
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  hub.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/meltano/api/v1`;
  hub.close = () =>
    new Promise((resolve) => {
      for (const res of hanging) res.destroy();
      server.close(() => resolve());
    });
  return hub;
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const INDEX = {
  extractors: {
    'tap-github': {
      default_variant: 'meltanolabs',
      logo_url: 'https://hub.example/logos/github.png',
      variants: {
        'singer-io': { ref: 'https://hub.example/meltano/api/v1/plugins/extractors/tap-github--singer-io' },
        meltanolabs: { ref: 'https://hub.example/meltano/api/v1/plugins/extractors/tap-github--meltanolabs' },
      },
    },
    'tap-brand-new': { default_variant: 'someone', logo_url: null, variants: { someone: { ref: 'x' } } },
  },
  loaders: {
    'target-jsonl': { default_variant: 'andyh1203', logo_url: null, variants: { andyh1203: { ref: 'x' } } },
  },
};

const GITHUB_DEFINITION = {
  name: 'tap-github',
  namespace: 'tap_github',
  variant: 'meltanolabs',
  label: 'GitHub',
  docs: 'https://hub.meltano.com/extractors/tap-github--meltanolabs',
  pip_url: 'meltanolabs-tap-github',
  capabilities: ['catalog', 'discover'],
  settings: [
    { name: 'auth_token', kind: 'password', label: 'Auth Token', sensitive: true },
    { name: 'rate_limit_buffer', kind: 'integer', value: 1000 },
    { name: 'auth_mode', kind: 'options', options: [{ label: 'Token', value: 'token' }] },
  ],
  settings_group_validation: [['auth_token']],
  maintenance_status: 'active',
};

describe('Meltano Hub client against a local hub', () => {
  let hub: FakeHub;
  beforeAll(async () => {
    hub = await startFakeHub();
  });
  afterAll(() => hub.close());
  afterEach(() => {
    hub.requests = [];
  });

  const serve = (routes: Record<string, unknown>) => {
    hub.respond = (path) =>
      path in routes ? { status: 200, body: routes[path] } : { status: 404, body: { message: 'Not found' } };
  };

  it('lists the index by type, default variant first, labels from the bundled catalog where known', async () => {
    serve({ '/plugins/index': INDEX });
    const client = new HubClient({ api_url: hub.url, auth: 'Bearer abc' });
    const catalog = await client.catalog();
    expect(catalog).toMatchObject({ source: 'hub', error: null, hub_api_url: hub.url });
    expect(catalog.plugins.extractors.map((p) => p.name)).toEqual(['tap-brand-new', 'tap-github']);
    expect(catalog.plugins.extractors[1]).toEqual({
      type: 'extractors',
      name: 'tap-github',
      label: 'GitHub',
      description: 'Code hosting and collaboration platform',
      logo_url: 'https://hub.example/logos/github.png',
      default_variant: 'meltanolabs',
      variants: [
        {
          name: 'meltanolabs',
          default: true,
          deprecated: false,
          docs: 'https://hub.meltano.com/extractors/tap-github--meltanolabs',
        },
        {
          name: 'singer-io',
          default: false,
          deprecated: false,
          docs: 'https://hub.meltano.com/extractors/tap-github--singer-io',
        },
      ],
    });
    expect(catalog.plugins.extractors[0]).toMatchObject({ label: null, description: null, logo_url: null });
    expect(catalog.plugins.utilities).toEqual([]);
    expect(hub.requests).toEqual([{ path: '/plugins/index', auth: 'Bearer abc', agent: 'meltano-ui' }]);
  });

  it('reuses the index for the TTL, then asks again', async () => {
    serve({ '/plugins/index': INDEX });
    let now = new Date('2026-01-01T00:00:00Z');
    const client = new HubClient({ api_url: hub.url, auth: null }, { ttlMs: 60_000, now: () => now });
    await Promise.all([client.catalog(), client.catalog()]);
    await client.catalog();
    expect(hub.requests).toHaveLength(1);
    now = new Date('2026-01-01T00:01:01Z');
    expect((await client.catalog()).fetched_at).toBe('2026-01-01T00:01:01.000Z');
    expect(hub.requests).toHaveLength(2);
  });

  it('fetches a variant’s full definition, the default variant from the index', async () => {
    serve({ '/plugins/index': INDEX, '/plugins/extractors/tap-github--meltanolabs': GITHUB_DEFINITION });
    const client = new HubClient({ api_url: hub.url, auth: null });
    const { source, definition } = await client.definition('extractors', 'tap-github');
    expect(source).toBe('hub');
    expect(definition).toMatchObject({
      type: 'extractors',
      name: 'tap-github',
      variant: 'meltanolabs',
      namespace: 'tap_github',
      pip_url: 'meltanolabs-tap-github',
      logo_url: null,
      capabilities: ['catalog', 'discover'],
      settings: [
        { name: 'auth_token', kind: 'password', label: 'Auth Token', sensitive: true },
        { name: 'rate_limit_buffer', kind: 'integer', value: 1000 },
        { name: 'auth_mode', kind: 'options', options: [{ label: 'Token', value: 'token' }] },
      ],
    });
    expect(definition.raw).toMatchObject({
      maintenance_status: 'active',
      settings_group_validation: [['auth_token']],
    });
    await client.definition('extractors', 'tap-github', 'meltanolabs');
    expect(hub.requests.map((r) => r.path)).toEqual([
      '/plugins/index',
      '/plugins/extractors/tap-github--meltanolabs',
    ]);
  });

  it('answers 404 for what the hub does not know, without falling back', async () => {
    serve({ '/plugins/index': INDEX });
    const client = new HubClient({ api_url: hub.url, auth: null });
    await expect(client.definition('extractors', 'tap-nope')).rejects.toBeInstanceOf(NotFoundError);
    const error = await client.definition('extractors', 'tap-github', 'nobody').catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 404, code: 'plugin_definition_not_found' });
  });

  it('falls back to the bundled catalog on an error status or a body that is not the hub’s', async () => {
    for (const answer of [
      { status: 500, body: { message: 'boom' } },
      { status: 200, body: '<html>captive portal</html>' },
      { status: 200, body: { unrelated: true } },
    ]) {
      hub.respond = () => answer;
      const catalog = await new HubClient({ api_url: hub.url, auth: null }).catalog();
      expect(catalog.source).toBe('offline');
      expect(catalog.error).toMatch(/Meltano Hub/);
      expect(catalog.plugins.extractors.some((p) => p.name === 'tap-github')).toBe(true);
    }
  });

  it('gives up after the timeout, then answers offline at once until the retry delay passes', async () => {
    hub.respond = () => 'hang';
    let now = new Date('2026-01-01T00:00:00Z');
    const client = new HubClient(
      { api_url: hub.url, auth: null },
      { timeoutMs: 200, retryMs: 30_000, now: () => now },
    );
    const started = Date.now();
    const catalog = await client.catalog();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(catalog).toMatchObject({ source: 'offline' });
    expect(catalog.error).toContain('did not answer within 200 ms');
    const lookup = await client.definition('loaders', 'target-postgres');
    expect(lookup).toMatchObject({ source: 'offline', definition: { variant: 'meltanolabs' } });
    expect(hub.requests).toHaveLength(1);

    serve({ '/plugins/index': INDEX });
    now = new Date('2026-01-01T00:00:31Z');
    expect((await client.catalog()).source).toBe('hub');
  });

  it('shares one client per endpoint', () => {
    const a = sharedHubClient({ api_url: hub.url, auth: null });
    expect(sharedHubClient({ api_url: hub.url, auth: null })).toBe(a);
    expect(sharedHubClient({ api_url: hub.url, auth: 'x' })).not.toBe(a);
  });
});

describe('Meltano Hub unreachable', () => {
  it('serves the bundled catalog marked offline, with the reason', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/meltano/api/v1`;
    const client = new HubClient({ api_url: url, auth: null });
    const catalog = await client.catalog();
    expect(catalog.source).toBe('offline');
    expect(catalog.error).toContain(`Could not read Meltano Hub at ${url}/plugins/index`);
    expect(catalog.error).toMatch(/ECONNREFUSED/);
    const total = Object.values(catalog.plugins).reduce((n, list) => n + list.length, 0);
    expect(total).toBeGreaterThanOrEqual(40);
  });

  it('answers definitions from the bundled catalog, 503 for plugins it does not hold', async () => {
    const client = new HubClient({ api_url: `http://127.0.0.1:${await closedPort()}`, auth: null });
    const { source, definition } = await client.definition('extractors', 'tap-postgres', 'transferwise');
    expect(source).toBe('offline');
    expect(definition).toMatchObject({ pip_url: 'pipelinewise-tap-postgres', variant: 'transferwise' });
    const error = await client.definition('extractors', 'tap-unknown').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CoreError);
    expect(error).toMatchObject({ status: 503, code: 'hub_unavailable' });
  });
});
