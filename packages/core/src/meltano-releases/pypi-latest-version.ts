/** Where Meltano's newest release is looked up: PyPI's JSON API for the `meltano` package. */
export const DEFAULT_PYPI_URL = 'https://pypi.org/pypi/meltano/json';

export interface LatestMeltanoRelease {
  /** `info.version` of the PyPI answer; null when it is switched off, or PyPI could not be read. */
  version: string | null;
  /** `pypi`: asked (or a cached answer); `off`: ui.check_for_updates is false or no URL is set. */
  source: 'pypi' | 'off';
  /** When PyPI was last asked (ISO 8601); null when switched off. */
  checked_at: string | null;
  /** Why PyPI could not be read, in words; null when it answered or is switched off. */
  error: string | null;
}

export interface PypiReleasesOptions {
  /** The JSON document to read (PyPI or a mirror); null switches the look-up off. */
  url: string | null;
  /** How long one look-up may take: no request waits longer than this for PyPI. */
  timeoutMs?: number;
  /** How long an answer is reused (a new Meltano is published every week or two). */
  ttlMs?: number;
  /** How long a failure is reused before PyPI is asked again. */
  failureTtlMs?: number;
  now?: () => Date;
}

interface Cached {
  expires: number;
  value: Promise<LatestMeltanoRelease>;
}

/**
 * The newest Meltano on PyPI, asked with a short timeout and cached: answered at once from the cache, and
 * at worst after `timeoutMs` (then null, as when offline). Concurrent callers share one request.
 */
export class PypiReleases {
  readonly #url: string | null;
  readonly #timeoutMs: number;
  readonly #ttlMs: number;
  readonly #failureTtlMs: number;
  readonly #now: () => Date;
  #cached: Cached | null = null;

  constructor(options: PypiReleasesOptions) {
    this.#url = options.url;
    this.#timeoutMs = options.timeoutMs ?? 2500;
    this.#ttlMs = options.ttlMs ?? 6 * 3_600_000;
    this.#failureTtlMs = options.failureTtlMs ?? 5 * 60_000;
    this.#now = options.now ?? (() => new Date());
  }

  get url(): string | null {
    return this.#url;
  }

  latest(): Promise<LatestMeltanoRelease> {
    if (this.#url === null) {
      return Promise.resolve({ version: null, source: 'off', checked_at: null, error: null });
    }
    const now = this.#now().getTime();
    if (this.#cached && this.#cached.expires > now) return this.#cached.value;
    const entry: Cached = { expires: now + this.#ttlMs, value: this.#ask(this.#url) };
    this.#cached = entry;
    void entry.value.then((answer) => {
      if (answer.error !== null && this.#cached === entry) {
        entry.expires = this.#now().getTime() + this.#failureTtlMs;
      }
    });
    return entry.value;
  }

  /** Forgets the cached answer (the next call asks PyPI again). */
  forget(): void {
    this.#cached = null;
  }

  async #ask(url: string): Promise<LatestMeltanoRelease> {
    const shown = withoutCredentials(url);
    const checked_at = this.#now().toISOString();
    const controller = new AbortController();
    // The abort covers connecting, the headers and the body: a PyPI that trickles bytes is cut off too.
    const timer = setTimeout(() => controller.abort(new TimeoutError()), this.#timeoutMs);
    try {
      const auth = basicAuth(url);
      const response = await fetch(shown, {
        headers: {
          Accept: 'application/json',
          'User-Agent': 'meltano-ui',
          ...(auth ? { Authorization: auth } : {}),
        },
        signal: controller.signal,
        redirect: 'follow',
      });
      if (!response.ok) {
        await response.body?.cancel().catch(() => {});
        return failed(checked_at, `${shown} answered ${response.status} ${response.statusText}`.trim());
      }
      const body = (await response.json()) as unknown;
      const version = infoVersion(body);
      if (version === null) return failed(checked_at, `${shown} did not hold info.version`);
      return { version, source: 'pypi', checked_at, error: null };
    } catch (error) {
      if (controller.signal.aborted) {
        return failed(checked_at, `${shown} did not answer within ${this.#timeoutMs} ms`);
      }
      if (error instanceof SyntaxError) return failed(checked_at, `${shown} did not answer with JSON`);
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : null;
      const message = error instanceof Error ? error.message : String(error);
      return failed(checked_at, `Could not read ${shown}: ${cause ?? message}`);
    } finally {
      clearTimeout(timer);
    }
  }
}

class TimeoutError extends Error {
  override name = 'TimeoutError';
}

/** A mirror's URL may carry a user and password: messages name it without them. */
function withoutCredentials(url: string): string {
  try {
    const parsed = new URL(url);
    if (!parsed.username && !parsed.password) return url;
    parsed.username = '';
    parsed.password = '';
    return parsed.toString();
  } catch {
    return url;
  }
}

/** `user:password@` of a mirror's URL as a Basic Authorization header (fetch refuses it in the URL). */
function basicAuth(url: string): string | null {
  try {
    const { username, password } = new URL(url);
    if (!username && !password) return null;
    const pair = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`;
    return `Basic ${Buffer.from(pair).toString('base64')}`;
  } catch {
    return null;
  }
}

function failed(checked_at: string, error: string): LatestMeltanoRelease {
  return { version: null, source: 'pypi', checked_at, error };
}

function infoVersion(body: unknown): string | null {
  if (typeof body !== 'object' || body === null) return null;
  const info = (body as { info?: unknown }).info;
  if (typeof info !== 'object' || info === null) return null;
  const version = (info as { version?: unknown }).version;
  // A version PyPI would publish: short, no spaces or markup.
  return typeof version === 'string' && /^[0-9][0-9A-Za-z.+!_-]{0,63}$/.test(version) ? version : null;
}

const shared = new Map<string, PypiReleases>();

/** One client (one cache) per URL in this process. */
export function sharedPypiReleases(url: string | null, options: Omit<PypiReleasesOptions, 'url'> = {}) {
  const key = url ?? '';
  let client = shared.get(key);
  if (!client) {
    client = new PypiReleases({ url, ...options });
    shared.set(key, client);
  }
  return client;
}

/** The look-up the settings ask for: ui.pypi_url, or none when ui.check_for_updates is false or the URL empty. */
export function configuredPypiReleases(settings: {
  'ui.check_for_updates': { value: unknown };
  'ui.pypi_url': { value: unknown };
}): PypiReleases {
  const url = settings['ui.pypi_url'].value;
  const on = settings['ui.check_for_updates'].value !== false && typeof url === 'string' && url.trim() !== '';
  return sharedPypiReleases(on ? String(url).trim() : null);
}
