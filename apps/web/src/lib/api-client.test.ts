import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

type Client = typeof import('./api-client');
let client: Client;
const seen: Request[] = [];
let reply: (request: Request) => Response | Promise<Response>;

beforeAll(async () => {
  // Node's Request needs an absolute URL: the base path stands in for the page's origin + base path.
  vi.stubGlobal('document', { querySelector: () => ({ content: 'http://ui.test/meltano' }) });
  vi.stubGlobal('fetch', async (request: Request) => {
    seen.push(request);
    return reply(request);
  });
  client = await import('./api-client');
});
beforeEach(() => {
  seen.length = 0;
});

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

describe('the API client', () => {
  it('reads through the base path, with the query of a form (blank and null values left out)', async () => {
    reply = () => json(200, { items: [], next_cursor: null });
    const { answer, api } = client;
    const page = await answer(
      api.GET('/api/v1/runs', { params: { query: { state_id: ['a', 'b'], trigger: '', limit: 5 } } }),
    );
    expect(page).toEqual({ items: [], next_cursor: null });
    const request = seen[0] as Request;
    expect(request.url).toBe('http://ui.test/meltano/api/v1/runs?state_id=a&state_id=b&limit=5');
    expect(request.headers.get('X-Requested-With')).toBeNull();
  });

  it('sends the CSRF header and If-Match on a versioned write, and takes 204 as null', async () => {
    reply = () => new Response(null, { status: 204 });
    const { answer, api, ifMatch } = client;
    const done = await answer(
      api.DELETE('/api/v1/jobs/{name}', { params: { path: { name: 'a b' }, header: ifMatch('v1') } }),
    );
    expect(done).toBeNull();
    const request = seen[0] as Request;
    expect(request.method).toBe('DELETE');
    expect(request.url).toBe('http://ui.test/meltano/api/v1/jobs/a%20b');
    expect(request.headers.get('X-Requested-With')).toBe('meltano-ui');
    expect(request.headers.get('If-Match')).toBe('v1');
  });

  it('turns an error answer into ApiError with its code, message and details', async () => {
    reply = () =>
      json(409, { code: 'version_mismatch', message: 'Changed on disk', details: { version: 'v2' } });
    const { answer, api, ApiError } = client;
    const failed = answer(api.PATCH('/api/v1/jobs/{name}', { params: { path: { name: 'j' } }, body: {} }));
    await expect(failed).rejects.toBeInstanceOf(ApiError);
    await expect(failed).rejects.toMatchObject({
      status: 409,
      code: 'version_mismatch',
      message: 'Changed on disk',
      details: { version: 'v2' },
    });
  });

  it('tells the 401 listeners, and says when the server cannot be reached', async () => {
    const { answer, api, onUnauthorized } = client;
    const signedOut = vi.fn();
    const stop = onUnauthorized(signedOut);
    reply = () => json(401, { code: 'unauthorized', message: 'Sign in' });
    await expect(answer(api.GET('/api/v1/project'))).rejects.toMatchObject({ status: 401 });
    expect(signedOut).toHaveBeenCalledOnce();
    stop();

    reply = () => {
      throw new TypeError('fetch failed');
    };
    await expect(answer(api.GET('/api/v1/project'))).rejects.toMatchObject({
      status: 0,
      code: 'network_error',
    });
  });

  it('builds the URL of a non-JSON route from the generated paths', () => {
    expect(client.apiUrl('/api/v1/runs/{id}/log/stream', { id: 7 }, { offset: 0 })).toBe(
      'http://ui.test/meltano/api/v1/runs/7/log/stream?offset=0',
    );
  });

  it('lets an aborted query stay an AbortError', async () => {
    reply = () => {
      throw new DOMException('aborted', 'AbortError');
    };
    const { answer, api } = client;
    await expect(answer(api.GET('/api/v1/project'))).rejects.toMatchObject({ name: 'AbortError' });
  });
});
