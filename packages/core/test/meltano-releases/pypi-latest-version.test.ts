import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configuredPypiReleases, PypiReleases } from '../../src/meltano-releases/pypi-latest-version.js';
import { compareVersions, isNewerVersion } from '../../src/meltano-releases/version-order.js';

type Answer = { status: number; body: string } | 'hang' | 'trickle';

/** A local imitation of PyPI's JSON API: tests never talk to pypi.org. */
async function startFakePypi() {
  const state = {
    respond: (): Answer => ({ status: 200, body: '{}' }),
    requests: 0,
    authorization: undefined as string | undefined,
  };
  const open = new Set<http.ServerResponse>();
  const server = http.createServer((req, res) => {
    state.requests++;
    state.authorization = req.headers.authorization;
    const answer = state.respond();
    if (answer === 'hang') {
      open.add(res);
      return;
    }
    if (answer === 'trickle') {
      // Headers at once, then the body never ends.
      open.add(res);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"info": {"version": ');
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(answer.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/pypi/meltano/json`;
  return {
    url,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

const pypiBody = (version: unknown) => JSON.stringify({ info: { name: 'meltano', version }, releases: {} });

describe('the newest Meltano on PyPI', () => {
  let pypi: Awaited<ReturnType<typeof startFakePypi>>;
  beforeAll(async () => {
    pypi = await startFakePypi();
  });
  afterAll(() => pypi.close());

  it('reads info.version, and reuses the answer until it expires', async () => {
    let now = new Date('2026-12-06T10:00:00Z');
    pypi.state.respond = () => ({ status: 200, body: pypiBody('4.2.0') });
    pypi.state.requests = 0;
    const releases = new PypiReleases({ url: pypi.url, ttlMs: 60_000, now: () => now });
    expect(await releases.latest()).toEqual({
      version: '4.2.0',
      source: 'pypi',
      checked_at: '2026-12-06T10:00:00.000Z',
      error: null,
    });
    pypi.state.respond = () => ({ status: 200, body: pypiBody('4.3.0') });
    expect((await releases.latest()).version).toBe('4.2.0');
    expect(pypi.state.requests).toBe(1);
    now = new Date('2026-12-06T10:01:01Z');
    expect((await releases.latest()).version).toBe('4.3.0');
    expect(pypi.state.requests).toBe(2);
  });

  it('sends a mirror URL’s user and password as Basic authorization', async () => {
    pypi.state.respond = () => ({ status: 200, body: pypiBody('4.2.0') });
    const url = pypi.url.replace('//', '//reader:s3cret@');
    expect((await new PypiReleases({ url }).latest()).version).toBe('4.2.0');
    expect(pypi.state.authorization).toBe(`Basic ${Buffer.from('reader:s3cret').toString('base64')}`);
  });

  it('shares one request between concurrent callers', async () => {
    pypi.state.respond = () => ({ status: 200, body: pypiBody('4.2.1') });
    pypi.state.requests = 0;
    const releases = new PypiReleases({ url: pypi.url });
    const answers = await Promise.all([releases.latest(), releases.latest(), releases.latest()]);
    expect(answers.map((a) => a.version)).toEqual(['4.2.1', '4.2.1', '4.2.1']);
    expect(pypi.state.requests).toBe(1);
  });

  it('answers null, with the reason, when PyPI refuses the connection', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/pypi/meltano/json`;
    const answer = await new PypiReleases({ url }).latest();
    expect(answer).toMatchObject({ version: null, source: 'pypi' });
    expect(answer.error).toMatch(
      /^Could not read http:\/\/127\.0\.0\.1:\d+\/pypi\/meltano\/json: .*ECONNREFUSED/,
    );
    // A mirror's credentials are not repeated in the message.
    const mirror = await new PypiReleases({ url: url.replace('//', '//reader:s3cret@') }).latest();
    expect(mirror.error).toMatch(
      /^Could not read http:\/\/127\.0\.0\.1:\d+\/pypi\/meltano\/json: .*ECONNREFUSED/,
    );
    expect(mirror.error).not.toContain('s3cret');
  });

  it('answers null once the timeout passes when PyPI does not answer, or stops half-way through the body', async () => {
    for (const mode of ['hang', 'trickle'] as const) {
      pypi.state.respond = () => mode;
      const releases = new PypiReleases({ url: pypi.url, timeoutMs: 150 });
      const answer = await releases.latest();
      expect(answer).toMatchObject({ version: null, error: `${pypi.url} did not answer within 150 ms` });
    }
  });

  it('answers null for an error status, a body that is not JSON, and JSON without a version', async () => {
    const cases: [Answer, string][] = [
      [{ status: 503, body: 'down' }, `${pypi.url} answered 503 Service Unavailable`],
      [{ status: 200, body: '<html>captive portal</html>' }, `${pypi.url} did not answer with JSON`],
      [{ status: 200, body: '{"info": {}}' }, `${pypi.url} did not hold info.version`],
      [{ status: 200, body: '[1, 2]' }, `${pypi.url} did not hold info.version`],
      [{ status: 200, body: pypiBody('<script>') }, `${pypi.url} did not hold info.version`],
      [{ status: 200, body: pypiBody(42) }, `${pypi.url} did not hold info.version`],
    ];
    for (const [answer, error] of cases) {
      pypi.state.respond = () => answer;
      expect(await new PypiReleases({ url: pypi.url }).latest()).toMatchObject({ version: null, error });
    }
  });

  it('keeps a failure only briefly, then asks again', async () => {
    let now = new Date('2026-12-06T10:00:00Z');
    pypi.state.respond = () => ({ status: 500, body: '' });
    const releases = new PypiReleases({ url: pypi.url, failureTtlMs: 30_000, now: () => now });
    expect((await releases.latest()).version).toBeNull();
    pypi.state.respond = () => ({ status: 200, body: pypiBody('4.2.2') });
    // Give the failure's shorter expiry its turn (it is set once the answer is in).
    await new Promise((r) => setTimeout(r, 0));
    expect((await releases.latest()).version).toBeNull();
    now = new Date('2026-12-06T10:00:31Z');
    expect((await releases.latest()).version).toBe('4.2.2');
  });

  it('asks nothing when switched off by ui.check_for_updates or an empty ui.pypi_url', async () => {
    pypi.state.requests = 0;
    const off = configuredPypiReleases({
      'ui.check_for_updates': { value: false },
      'ui.pypi_url': { value: pypi.url },
    });
    expect(await off.latest()).toEqual({ version: null, source: 'off', checked_at: null, error: null });
    const empty = configuredPypiReleases({
      'ui.check_for_updates': { value: true },
      'ui.pypi_url': { value: ' ' },
    });
    expect((await empty.latest()).source).toBe('off');
    expect(pypi.state.requests).toBe(0);
    const on = configuredPypiReleases({
      'ui.check_for_updates': { value: true },
      'ui.pypi_url': { value: pypi.url },
    });
    expect(on.url).toBe(pypi.url);
  });
});

describe('version order', () => {
  it('orders releases, pre-releases and post-releases as PEP 440 does', () => {
    expect(compareVersions('3.10.0', '3.9.5')).toBe(1);
    expect(compareVersions('3.9.5', '3.9.5')).toBe(0);
    expect(compareVersions('4.0.0rc1', '4.0.0')).toBe(-1);
    expect(compareVersions('4.0.0rc1', '3.9.9')).toBe(1);
    expect(compareVersions('4.0.0b4', '4.0.0rc1')).toBe(-1);
    expect(compareVersions('4.0.0.post1', '4.0.0')).toBe(1);
    expect(compareVersions('4.0', '4.0.0')).toBe(0);
    expect(compareVersions('latest', '4.0.0')).toBeNull();
    expect(isNewerVersion('4.2.0', '3.9.5')).toBe(true);
    expect(isNewerVersion('3.9.5', '3.9.5')).toBe(false);
    expect(isNewerVersion(null, '3.9.5')).toBe(false);
    expect(isNewerVersion('4.2.0', null)).toBe(false);
  });
});
