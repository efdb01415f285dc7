import { isLoopbackHost, type OidcConfig } from '@meltano-ui/core';
import type * as OpenIdClient from 'openid-client';

type Client = typeof OpenIdClient;
let library: Promise<Client> | null = null;
/** openid-client, loaded by the first single sign-on (a server without OIDC never needs its code). */
export const openIdClient = (): Promise<Client> => {
  library ??= import('openid-client');
  return library;
};

/** Discovery and token requests give up after this many seconds (the sign-in page answers, not hangs). */
export const OIDC_TIMEOUT_SECONDS = 10;
/** After a failed discovery, the next sign-in tries again once this long has passed. */
const RETRY_AFTER_MS = 5 * 1000;
/** A discovered configuration is refreshed this often (the provider's endpoints and keys may change). */
const REFRESH_EVERY_MS = 60 * 60 * 1000;

export class OidcProviderUnavailable extends Error {
  constructor(readonly reason: string) {
    super(`The OpenID Provider could not be reached: ${reason}`);
  }
}

/**
 * The relying party's view of the OpenID Provider: discovered lazily (never at start-up, so a
 * provider that is down breaks neither the start nor password sign-in), with a bounded timeout,
 * retried by a later sign-in. ID token signatures are checked against the provider's JWKS.
 */
export function createRelyingParty(oidc: OidcConfig) {
  let cached: { config: OpenIdClient.Configuration; at: number } | null = null;
  let failedAt = 0;
  let lastFailure = '';
  let pending: Promise<OpenIdClient.Configuration> | null = null;
  let usePost = false;
  const insecure = new URL(oidc.issuer).protocol === 'http:' && isLoopbackHost(new URL(oidc.issuer).hostname);

  const discover = async (): Promise<OpenIdClient.Configuration> => {
    const client = await openIdClient();
    const config = await client.discovery(
      new URL(oidc.issuer),
      oidc.clientId,
      undefined,
      // client_secret_basic: the registration default of OpenID Connect (and of GitLab, Google,
      // Keycloak and Entra ID); a client without a secret is public and relies on PKCE.
      oidc.clientSecret === null ? client.None() : client.ClientSecretBasic(oidc.clientSecret),
      {
        timeout: OIDC_TIMEOUT_SECONDS,
        execute: [client.enableNonRepudiationChecks, ...(insecure ? [client.allowInsecureRequests] : [])],
      },
    );
    config.timeout = OIDC_TIMEOUT_SECONDS;
    return config;
  };

  const withChecks = (client: Client, config: OpenIdClient.Configuration) => {
    client.enableNonRepudiationChecks(config);
    if (insecure) client.allowInsecureRequests(config);
    config.timeout = OIDC_TIMEOUT_SECONDS;
    return config;
  };
  /** The same provider, the client authenticating with client_secret_post. */
  const asPost = (client: Client, config: OpenIdClient.Configuration) =>
    withChecks(
      client,
      new client.Configuration(
        config.serverMetadata(),
        oidc.clientId,
        undefined,
        client.ClientSecretPost(oidc.clientSecret ?? ''),
      ),
    );

  return {
    oidc,
    /** The discovered configuration (cached); throws OidcProviderUnavailable when it cannot be had. */
    async configuration(): Promise<OpenIdClient.Configuration> {
      const t = Date.now();
      if (cached !== null && t - cached.at < REFRESH_EVERY_MS) return cached.config;
      if (cached === null && t - failedAt < RETRY_AFTER_MS) throw new OidcProviderUnavailable(lastFailure);
      pending ??= discover()
        .then((config) => {
          cached = { config, at: Date.now() };
          return config;
        })
        .finally(() => {
          pending = null;
        });
      try {
        return await pending;
      } catch (err) {
        // A refresh that fails keeps the configuration that worked.
        if (cached !== null) return cached.config;
        failedAt = Date.now();
        lastFailure = err instanceof Error ? err.message : String(err);
        throw new OidcProviderUnavailable(lastFailure);
      }
    },
    /**
     * Swaps the code at the token endpoint and validates the answer. The client authenticates with
     * client_secret_basic; a provider whose client was registered for client_secret_post answers
     * `invalid_client` before it looks at the code, so that one is tried next (and kept).
     */
    async authorizationCodeGrant(
      currentUrl: URL,
      checks: Parameters<typeof OpenIdClient.authorizationCodeGrant>[2],
    ): Promise<{
      config: OpenIdClient.Configuration;
      tokens: Awaited<ReturnType<typeof OpenIdClient.authorizationCodeGrant>>;
    }> {
      const discovered = await this.configuration();
      const client = await openIdClient();
      const config = usePost ? asPost(client, discovered) : discovered;
      try {
        return { config, tokens: await client.authorizationCodeGrant(config, currentUrl, checks) };
      } catch (err) {
        const invalidClient = err instanceof client.ResponseBodyError && err.error === 'invalid_client';
        if (!invalidClient || usePost || oidc.clientSecret === null) throw err;
        const post = asPost(client, discovered);
        const tokens = await client.authorizationCodeGrant(post, currentUrl, checks);
        usePost = true;
        return { config: post, tokens };
      }
    },
  };
}
export type RelyingParty = ReturnType<typeof createRelyingParty>;
