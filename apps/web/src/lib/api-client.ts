/**
 * The one place the SPA talks HTTP: `api` is openapi-fetch on the paths generated from the server's
 * OpenAPI document (api.gen.ts), so a wrong path, parameter or body fails the type check; `answer`
 * turns its result into the body or an ApiError.
 */
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './api.gen';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** `ui.base_path` (e.g. `/meltano`, or ``), which the server writes into index.html. */
export const BASE_PATH =
  document.querySelector<HTMLMetaElement>('meta[name="meltano-ui-base-path"]')?.content ?? '';

/** Where the API lives; for what is not JSON (the log's download link and live stream, the docs). */
export const API_ROOT = `${BASE_PATH}/api/v1`;

type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

/** `?a=1&b=x&b=y`, leaving out empty values (a form's blank filter means "any", not "equal to ''"). */
export function queryString(query: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.set(key, String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * The URL of a route that is not JSON (the log's download link, its live stream), with the path
 * checked against the generated paths and its `{params}` filled in.
 */
export function apiUrl(
  path: keyof paths,
  params: Record<string, string | number>,
  query: Record<string, QueryValue> = {},
): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
  return `${BASE_PATH}${filled}${queryString(query)}`;
}

const unauthorizedListeners = new Set<() => void>();

/** Called whenever the server answers 401 (the session ended): the app shows the sign-in page. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

const conventions: Middleware = {
  onRequest({ request }) {
    request.headers.set('Accept', 'application/json');
    // A custom header, which a cross-site form cannot send (CSRF defence), on every unsafe request.
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      request.headers.set('X-Requested-With', 'meltano-ui');
    }
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401) for (const listener of unauthorizedListeners) listener();
    return undefined;
  },
  onError({ error }) {
    // A query the page no longer needs (AbortSignal) stays an AbortError, which React Query ignores.
    if ((error as Error).name === 'AbortError') return error as Error;
    return new ApiError(0, 'network_error', 'The Meltano UI server cannot be reached. Is it still running?');
  },
};

// The generated paths start with /api/v1, so the base is the base path alone.
export const api = createClient<paths>({
  baseUrl: BASE_PATH,
  querySerializer: (query) => queryString(query as Record<string, QueryValue>),
});
api.use(conventions);

interface Result<D> {
  data?: D;
  error?: unknown;
  response: Response;
}

/** The body of a successful answer (null for 204 No Content); an error answer as ApiError. */
export async function answer<D>(pending: Promise<Result<D>>): Promise<D> {
  const { data, error, response } = await pending;
  if (!response.ok) {
    const body = (typeof error === 'object' && error !== null ? error : {}) as {
      code?: string;
      message?: string;
      details?: Record<string, unknown>;
    };
    throw new ApiError(
      response.status,
      body.code ?? 'http_error',
      body.message ?? `The server answered ${response.status}`,
      body.details,
    );
  }
  return (data ?? null) as D;
}

/** Optimistic concurrency: the entity's `version` as read, so the server refuses (409) a stale edit. */
export const ifMatch = (version: string) => ({ 'if-match': version });
