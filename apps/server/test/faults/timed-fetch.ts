/** What one request answered, and how long it took; `status` 0 when no answer came at all. */
export interface Answer {
  target: string;
  status: number;
  ms: number;
  body: string;
  json: { code?: string; [key: string]: unknown } | null;
  contentType: string;
}

/**
 * One request with a hard deadline (a hang shows as status 0 after `timeoutMs`, never as a stuck
 * test). Unsafe methods carry the header the CSRF check wants.
 */
export async function timedFetch(
  base: string,
  target: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
  timeoutMs = 15_000,
): Promise<Answer> {
  const started = Date.now();
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.method !== undefined && init.method !== 'GET') headers['x-requested-with'] = 'meltano-ui-test';
  try {
    const res = await fetch(new URL(target, base), {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = await res.text();
    let json: Answer['json'] = null;
    try {
      json = JSON.parse(body) as Answer['json'];
    } catch {
      json = null;
    }
    return {
      target,
      status: res.status,
      ms: Date.now() - started,
      body,
      json,
      contentType: res.headers.get('content-type') ?? '',
    };
  } catch (err) {
    return { target, status: 0, ms: Date.now() - started, body: String(err), json: null, contentType: '' };
  }
}

/** Repeats `probe` until `ok` holds or `withinMs` passes; the last answer either way. */
export async function answerWithin<T>(
  withinMs: number,
  probe: () => Promise<T>,
  ok: (answer: T) => boolean,
): Promise<{ answer: T; ms: number }> {
  const started = Date.now();
  for (;;) {
    const answer = await probe();
    const ms = Date.now() - started;
    if (ok(answer) || ms > withinMs) return { answer, ms };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
