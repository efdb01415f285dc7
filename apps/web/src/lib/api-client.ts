/** The one place the SPA talks HTTP: JSON in, JSON out, API errors as ApiError. */
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

export const API_ROOT = `${BASE_PATH}/api/v1`;

type QueryValue = string | number | boolean | null | undefined | readonly (string | number)[];

/** `?a=1&b=x&b=y`, leaving out empty values. */
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

export function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', path, undefined, signal);
}

/** Unsafe requests carry a custom header, which a cross-site form cannot send (CSRF defence). */
export function apiPost<T>(path: string, body?: unknown): Promise<T> {
  return request<T>('POST', path, body);
}

/** Optimistic concurrency: the entity's `version` as read, so the server refuses (409) a stale edit. */
export interface WriteOptions {
  ifMatch?: string | undefined;
}

export function apiPatch<T>(path: string, body: unknown, options: WriteOptions = {}): Promise<T> {
  return request<T>('PATCH', path, body, undefined, options);
}

export function apiPut<T>(path: string, body: unknown, options: WriteOptions = {}): Promise<T> {
  return request<T>('PUT', path, body, undefined, options);
}

export function apiDelete<T = void>(path: string, options: WriteOptions = {}): Promise<T> {
  return request<T>('DELETE', path, undefined, undefined, options);
}

const unauthorizedListeners = new Set<() => void>();

/** Called whenever the server answers 401 (the session ended): the app shows the sign-in page. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

async function request<T>(
  method: string,
  path: string,
  body: unknown,
  signal?: AbortSignal,
  options: WriteOptions = {},
): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (method !== 'GET') headers['X-Requested-With'] = 'meltano-ui';
  if (options.ifMatch) headers['If-Match'] = options.ifMatch;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(`${API_ROOT}${path}`, {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
      signal: signal ?? null,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network_error', 'The Meltano UI server cannot be reached. Is it still running?');
  }
  const payload = response.status === 204 ? null : await response.json().catch(() => null);
  if (response.status === 401) for (const listener of unauthorizedListeners) listener();
  if (!response.ok) {
    throw new ApiError(
      response.status,
      payload?.code ?? 'http_error',
      payload?.message ?? `The server answered ${response.status}`,
      payload?.details,
    );
  }
  return payload as T;
}
