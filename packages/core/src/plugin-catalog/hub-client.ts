import { CoreError, NotFoundError } from '../errors.js';
import type { AddablePluginType } from '../project/project.types.js';
import { bundledDefinition, bundledEntries } from './bundled-catalog.js';
import type { CatalogEntry, DefinitionLookup, PluginCatalog, PluginDefinition } from './catalog.types.js';
import { parseHubDefinition, parseHubIndex } from './hub-responses.js';
import type { HubEndpoint } from './hub-settings.js';

export interface HubClientOptions {
  /** How long one request may take before the hub counts as unreachable. */
  timeoutMs?: number;
  /** How long the index and definitions are reused (Meltano caches the index for an hour). */
  ttlMs?: number;
  /** After a failure, how long the hub is not asked again (the offline catalog answers at once). */
  retryMs?: number;
  now?: () => Date;
}

interface Cached<T> {
  expires: number;
  value: Promise<T>;
}

type IndexResult = { plugins: Record<AddablePluginType, CatalogEntry[]>; fetched_at: string };

const NOT_FOUND = Symbol('not found');

/** Why a request failed, in words for the "offline" badge's tooltip. */
class HubUnreachable extends Error {}

/**
 * Meltano Hub, read with a short timeout and cached in memory. When the hub cannot be reached (no network,
 * timeout, an error answer, a body that is not the hub's) the bundled catalog answers, marked `offline`.
 */
export class HubClient {
  readonly #endpoint: HubEndpoint;
  readonly #timeoutMs: number;
  readonly #ttlMs: number;
  readonly #retryMs: number;
  readonly #now: () => Date;
  readonly #index = new Map<'index', Cached<IndexResult>>();
  readonly #definitions = new Map<string, Cached<PluginDefinition | null>>();
  #down: { until: number; reason: string } | null = null;

  constructor(endpoint: HubEndpoint, options: HubClientOptions = {}) {
    this.#endpoint = endpoint;
    this.#timeoutMs = options.timeoutMs ?? 3000;
    this.#ttlMs = options.ttlMs ?? 3_600_000;
    this.#retryMs = options.retryMs ?? 60_000;
    this.#now = options.now ?? (() => new Date());
  }

  async catalog(): Promise<PluginCatalog> {
    const base = { hub_api_url: this.#endpoint.api_url };
    try {
      const index = await this.#cachedIndex();
      return { ...base, source: 'hub', error: null, ...index };
    } catch (error) {
      const reason = this.#failed(error);
      return {
        ...base,
        source: 'offline',
        error: reason,
        fetched_at: this.#now().toISOString(),
        plugins: bundledEntries(),
      };
    }
  }

  /**
   * One variant's definition (the default variant when none is given), from the hub or, when it cannot be
   * reached, the bundled catalog. 404 when the hub does not know it, 503 when neither source has it.
   */
  async definition(type: AddablePluginType, name: string, variant?: string): Promise<DefinitionLookup> {
    try {
      const chosen = variant ?? (await this.#defaultVariant(type, name));
      const key = `${type}/${name}--${chosen}`;
      const definition = await this.#cached(this.#definitions, key, async () => {
        const body = await this.#get(
          `/plugins/${type}/${encodeURIComponent(name)}--${encodeURIComponent(chosen)}`,
        );
        if (body === NOT_FOUND) return null;
        const parsed = parseHubDefinition(type, name, chosen, body);
        if (!parsed)
          throw new HubUnreachable(`Meltano Hub sent something else than the definition of ${key}`);
        return parsed;
      });
      if (!definition) throw unknownPlugin(type, name, variant);
      return { source: 'hub', definition };
    } catch (error) {
      if (error instanceof CoreError) throw error;
      const reason = this.#failed(error);
      const definition = bundledDefinition(type, name, variant);
      if (definition) return { source: 'offline', definition };
      throw new CoreError(
        'hub_unavailable',
        503,
        `Meltano Hub cannot be reached (${reason}) and '${name}' is not in the offline catalog`,
      );
    }
  }

  async #defaultVariant(type: AddablePluginType, name: string): Promise<string> {
    const entry = (await this.#cachedIndex()).plugins[type].find((p) => p.name === name);
    if (!entry) throw unknownPlugin(type, name);
    return entry.default_variant;
  }

  #cachedIndex(): Promise<IndexResult> {
    return this.#cached(this.#index, 'index', async () => {
      const body = await this.#get('/plugins/index');
      const plugins = body === NOT_FOUND ? null : parseHubIndex(body);
      if (!plugins) throw new HubUnreachable('Meltano Hub sent something else than its plugin index');
      return { plugins, fetched_at: this.#now().toISOString() };
    });
  }

  #cached<K, T>(cache: Map<K, Cached<T>>, key: K, load: () => Promise<T>): Promise<T> {
    const now = this.#now().getTime();
    const hit = cache.get(key);
    if (hit && hit.expires > now) return hit.value;
    const entry = { expires: now + this.#ttlMs, value: this.#whenUp(load) };
    cache.set(key, entry);
    entry.value.catch(() => {
      if (cache.get(key) === entry) cache.delete(key);
    });
    return entry.value;
  }

  /** Runs `load` unless the hub failed less than `retryMs` ago. */
  async #whenUp<T>(load: () => Promise<T>): Promise<T> {
    if (this.#down && this.#down.until > this.#now().getTime()) throw new HubUnreachable(this.#down.reason);
    const value = await load();
    this.#down = null;
    return value;
  }

  #failed(error: unknown): string {
    const reason = error instanceof Error ? error.message : String(error);
    if (!this.#down || this.#down.until <= this.#now().getTime()) {
      this.#down = { until: this.#now().getTime() + this.#retryMs, reason };
    }
    return reason;
  }

  async #get(path: string): Promise<unknown> {
    const url = `${this.#endpoint.api_url}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: {
          Accept: 'application/json',
          'User-Agent': 'meltano-ui',
          ...(this.#endpoint.auth ? { Authorization: this.#endpoint.auth } : {}),
        },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      if (response.status === 404) return NOT_FOUND;
      if (!response.ok)
        throw new HubUnreachable(`Meltano Hub answered ${response.status} ${response.statusText}`);
      return await response.json();
    } catch (error) {
      throw new HubUnreachable(describeFailure(error, url, this.#timeoutMs));
    }
  }
}

function describeFailure(error: unknown, url: string, timeoutMs: number): string {
  if (error instanceof HubUnreachable) return error.message;
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return `Meltano Hub at ${url} did not answer within ${timeoutMs} ms`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : null;
  const message = error instanceof Error ? error.message : String(error);
  return `Could not read Meltano Hub at ${url}: ${cause ?? message}`;
}

function unknownPlugin(type: string, name: string, variant?: string): NotFoundError {
  const what = variant ? `'${name}' variant '${variant}'` : `'${name}'`;
  return new NotFoundError('plugin_definition', `Meltano Hub has no ${type.replace(/s$/, '')} ${what}`);
}

const shared = new Map<string, HubClient>();

/** One client, and so one cache, per hub endpoint in this process (the endpoint follows the settings). */
export function sharedHubClient(endpoint: HubEndpoint, options?: HubClientOptions): HubClient {
  const key = `${endpoint.api_url}\0${endpoint.auth ?? ''}`;
  let client = shared.get(key);
  if (!client) {
    client = new HubClient(endpoint, options);
    shared.set(key, client);
  }
  return client;
}
