import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AuthenticationOffError,
  CoreError,
  groupsFrom,
  NotFoundError,
  OidcSignInError,
  roleForGroups,
} from '@meltano-ui/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type * as OpenIdClient from 'openid-client';
import { Type } from 'typebox';
import {
  createRelyingParty,
  OidcProviderUnavailable,
  openIdClient,
  type RelyingParty,
} from '../plugins/app/oidc-relying-party.js';
import { normaliseOrigin, parseHost, requestHost, requestOrigin } from '../plugins/app/request-origin.js';
import { rateLimitOf } from '../plugins/external/rate-limit.js';
import { errorResponses } from '../schemas/common.js';

export const OIDC_CALLBACK_PATH = '/api/v1/auth/oidc/callback';
const FLOW_COOKIE = 'meltano_ui_oidc_flow';
const FLOW_COOKIE_MAX_AGE_S = 10 * 60;

/** A path of this app to go to after signing in: same-site paths only, else the home page. */
export function safeNextPath(next: string | undefined, basePath: string): string {
  const home = `${basePath}/`;
  if (next === undefined || next === '') return home;
  // No scheme-relative (`//host`), backslash (`/\host`, browsers read it as `//`) or control tricks.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
  if (!next.startsWith('/') || next.startsWith('//') || /[\\\s\u0000-\u001f]/.test(next)) return home;
  let url: URL;
  try {
    url = new URL(next, 'http://same.invalid');
  } catch {
    return home;
  }
  if (url.origin !== 'http://same.invalid') return home;
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (basePath !== '' && (url.pathname === basePath || url.pathname.startsWith(`${basePath}/`))) return path;
  return `${basePath}${path}`;
}

function unavailable(): OidcSignInError {
  return new OidcSignInError(
    'oidc_provider_unavailable',
    503,
    'The single sign-on provider cannot be reached right now; try again in a moment, or sign in with ' +
      'a password if your account has one.',
  );
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

/** The page a browser sees when a sign-in fails: what went wrong, and the way back. */
function errorPage(basePath: string, err: CoreError): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>Sign-in failed · Meltano UI</title></head>
<body><main>
<h1>Single sign-on failed</h1>
<p role="alert">${escapeHtml(err.message)}</p>
<p><small>Code: <code>${escapeHtml(err.code)}</code></small></p>
<p><a href="${escapeHtml(basePath)}/">Back to the sign-in page</a></p>
</main></body></html>
`;
}

const wantsHtml = (request: FastifyRequest) => (request.headers.accept ?? '').includes('text/html');

/** Single sign-on with an OpenID Provider: login redirect, callback, and the provider's sign-out. */
export const oidcRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { auth } = fastify;
  const { basePath } = auth.config;
  const oidc = auth.config.oidc;
  const rp: RelyingParty | null = oidc === null ? null : createRelyingParty(oidc);
  if (oidc?.deprecatedGitlab) {
    fastify.log.warn(
      { event: 'setting_deprecated', setting: 'ui.oauth_enabled' },
      'ui.oauth_enabled and oauth.gitlab.* are deprecated: they now mean single sign-on with OpenID ' +
        'Connect at https://gitlab.com; set ui.oidc.issuer, ui.oidc.client_id and ui.oidc.client_secret instead',
    );
  }

  const flowCookie = (request: FastifyRequest) => ({
    path: `${basePath}/api/v1/auth/oidc/`,
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: auth.config.sessionCookieSecure || request.protocol === 'https',
    signed: true,
  });

  /**
   * The redirect URI, from trusted settings: ui.server_name's origin (the scheme of the request as a
   * trusted proxy saw it, unless the name carries one) and ui.base_path. Without ui.server_name, the
   * Host the host check let through (this machine's names or ui.allowed_hosts).
   */
  const redirectUri = (request: FastifyRequest): string => {
    const name = auth.config.serverName?.trim() ?? '';
    const scheme = request.protocol === 'https' || auth.config.sessionCookieSecure ? 'https' : 'http';
    let origin: string | null;
    if (name === '') origin = requestOrigin(request, auth.config.trustForwardedHost);
    else if (/^https?:\/\//i.test(name)) origin = name.replace(/\/+$/, '');
    else {
      // A ui.server_name without a port (Meltano's `meltano ui setup localhost`) answers on any port
      // of that name (the host check): the port is the one of the Host that check let through.
      const named = parseHost(name);
      const asked = parseHost(requestHost(request, auth.config.trustForwardedHost));
      const port =
        named !== null && named.port === '' && asked !== null && asked.hostname === named.hostname
          ? asked.port
          : '';
      origin = normaliseOrigin(`${scheme}://${name}${port === '' ? '' : `:${port}`}`);
    }
    if (origin === null) throw new OidcSignInError('oidc_no_origin', 400, 'The request has no usable Host.');
    return `${origin}${basePath}${OIDC_CALLBACK_PATH}`;
  };

  const requireRp = (): RelyingParty => {
    if (!auth.config.authentication) throw new AuthenticationOffError();
    if (rp === null) {
      throw new NotFoundError('oidc', 'Single sign-on is not configured (ui.oidc.issuer is not set).');
    }
    return rp;
  };

  /** Errors of these routes: an HTML page for a browser that navigated here, else the JSON error. */
  const answerError = (request: FastifyRequest, reply: FastifyReply, err: unknown) => {
    if (!(err instanceof CoreError) || !wantsHtml(request)) throw err;
    return reply
      .status(err.status)
      .header('Cache-Control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(errorPage(basePath, err));
  };

  const configuration = async (party: RelyingParty) => {
    try {
      return await party.configuration();
    } catch (err) {
      if (err instanceof OidcProviderUnavailable) {
        fastify.log.warn(
          { event: 'oidc_provider_unavailable', reason: err.reason },
          'single sign-on: the OpenID Provider could not be reached',
        );
        throw unavailable();
      }
      throw err;
    }
  };

  const redirectSchema = {
    302: Type.Null({ description: 'Redirect (Location header)' }),
  };

  fastify.get(
    '/auth/oidc/login',
    {
      config: { access: 'public', rateLimit: rateLimitOf(fastify.rateLimits.sso) },
      schema: {
        tags: ['auth'],
        summary: 'Single sign-on: redirects to the OpenID Provider (authorization code with PKCE)',
        querystring: Type.Object({ next: Type.Optional(Type.String({ maxLength: 2048 })) }),
        response: { ...redirectSchema, ...errorResponses(400, 404, 429, 503) },
      },
    },
    async (request, reply) => {
      try {
        const party = requireRp();
        const config = await configuration(party);
        const client = await openIdClient();
        const codeVerifier = client.randomPKCECodeVerifier();
        const state = client.randomState();
        const nonce = client.randomNonce();
        const redirect_uri = redirectUri(request);
        const key = await auth.service.oidc.flows.start({
          state,
          nonce,
          codeVerifier,
          redirectUri: redirect_uri,
          nextPath: safeNextPath(request.query.next, basePath),
        });
        const url = client.buildAuthorizationUrl(config, {
          redirect_uri,
          scope: party.oidc.scopes.join(' '),
          code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
          code_challenge_method: 'S256',
          state,
          nonce,
        });
        reply.setCookie(FLOW_COOKIE, key, { ...flowCookie(request), maxAge: FLOW_COOKIE_MAX_AGE_S });
        return reply.header('Cache-Control', 'no-store').redirect(url.href, 302);
      } catch (err) {
        return answerError(request, reply, err);
      }
    },
  );

  fastify.get(
    '/auth/oidc/callback',
    {
      config: { access: 'public', rateLimit: rateLimitOf(fastify.rateLimits.sso) },
      schema: {
        tags: ['auth'],
        summary:
          "Single sign-on: the OpenID Provider's redirect back; checks state, nonce and the ID token, then signs in",
        querystring: Type.Object(
          {
            code: Type.Optional(Type.String({ maxLength: 4096 })),
            state: Type.Optional(Type.String({ maxLength: 1024 })),
            error: Type.Optional(Type.String({ maxLength: 256 })),
            error_description: Type.Optional(Type.String({ maxLength: 2048 })),
          },
          { additionalProperties: true },
        ),
        response: { ...redirectSchema, ...errorResponses(400, 401, 403, 404, 409, 429, 503) },
      },
    },
    async (request, reply) => {
      try {
        const party = requireRp();
        const raw = request.cookies[FLOW_COOKIE];
        const unsigned = raw === undefined ? null : request.unsignCookie(raw);
        if (raw !== undefined) reply.clearCookie(FLOW_COOKIE, flowCookie(request));
        const fail = (code: string, status: number, message: string, reason?: string) => {
          request.log.warn(
            { event: 'oidc_sign_in_refused', code, ...(reason ? { reason } : {}), ip: request.ip },
            'single sign-on refused',
          );
          return new OidcSignInError(code, status, message);
        };
        if (unsigned === null || !unsigned.valid || !unsigned.value) {
          throw fail(
            'oidc_flow_missing',
            400,
            'This sign-in did not start in this browser, or took too long: start it again from the sign-in page.',
          );
        }
        const flow = await auth.service.oidc.flows.consume(unsigned.value);
        if (flow === null) {
          throw fail(
            'oidc_state_invalid',
            400,
            'This sign-in was already used or has expired: start it again from the sign-in page.',
          );
        }
        if (request.query.state !== flow.state) {
          throw fail(
            'oidc_state_invalid',
            400,
            'The sign-in answer does not belong to this sign-in (state).',
          );
        }
        if (request.query.error !== undefined) {
          throw fail(
            'oidc_provider_error',
            401,
            `The single sign-on provider refused the sign-in: ${request.query.error_description ?? request.query.error}`.slice(
              0,
              500,
            ),
          );
        }
        await configuration(party);
        const currentUrl = new URL(flow.redirectUri);
        const query = request.url.indexOf('?');
        currentUrl.search = query === -1 ? '' : request.url.slice(query);
        let tokens: Awaited<ReturnType<typeof OpenIdClient.authorizationCodeGrant>>;
        let config: OpenIdClient.Configuration;
        try {
          ({ config, tokens } = await party.authorizationCodeGrant(currentUrl, {
            pkceCodeVerifier: flow.codeVerifier,
            expectedState: flow.state,
            expectedNonce: flow.nonce,
            idTokenExpected: true,
          }));
        } catch (err) {
          const reason = err instanceof Error ? err.message : String(err);
          throw fail(
            'oidc_token_invalid',
            401,
            'The single sign-on answer could not be verified (ID token, audience, expiry, nonce or code); ' +
              'start again from the sign-in page.',
            reason,
          );
        }
        const claims = tokens.claims();
        if (claims === undefined) throw fail('oidc_token_invalid', 401, 'The provider sent no ID token.');
        let info: Record<string, unknown> = { ...claims };
        const needsUserinfo = groupsFrom(info, party.oidc.groupsClaim) === null || info.email === undefined;
        if (needsUserinfo && config.serverMetadata().userinfo_endpoint !== undefined) {
          try {
            const client = await openIdClient();
            const userinfo = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
            // The ID token's claims win; UserInfo adds what it lacks (GitLab's groups).
            info = { ...userinfo, ...info };
            if (claims.email === undefined && userinfo.email !== undefined) {
              info.email = userinfo.email;
              info.email_verified = userinfo.email_verified;
            }
          } catch (err) {
            request.log.warn(
              { event: 'oidc_userinfo_failed', reason: err instanceof Error ? err.message : String(err) },
              'single sign-on: UserInfo could not be read',
            );
          }
        }
        const email = typeof info.email === 'string' && info.email.includes('@') ? info.email : null;
        if (email !== null && info.email_verified === false) {
          throw fail(
            'oidc_email_unverified',
            403,
            `The provider says the email ${email} is not verified: verify it there, then sign in again.`,
          );
        }
        const verifiedEmail = email !== null && info.email_verified === true ? email : null;
        const { allowedDomains } = party.oidc;
        if (allowedDomains.length > 0) {
          const domain = verifiedEmail?.split('@').pop()?.toLowerCase() ?? null;
          const hd = typeof info.hd === 'string' ? info.hd.toLowerCase() : null;
          if (
            !(domain !== null && allowedDomains.includes(domain)) &&
            !(hd !== null && allowedDomains.includes(hd))
          ) {
            throw fail(
              'oidc_domain_not_allowed',
              403,
              `Accounts of ${domain ?? hd ?? 'unknown domains'} may not sign in here (ui.oidc.allowed_domains).`,
            );
          }
        }
        const groups = groupsFrom(info, party.oidc.groupsClaim) ?? [];
        const role = roleForGroups(party.oidc, groups);
        if (role === null) {
          throw fail(
            'oidc_no_role',
            403,
            'None of your groups at the single sign-on provider gives access to this Meltano UI; ask an admin.',
          );
        }
        const preferred = typeof info.preferred_username === 'string' ? info.preferred_username : null;
        const nickname = typeof info.nickname === 'string' ? info.nickname : null;
        const result = await auth.service.oidc.signIn({
          issuer: party.oidc.issuer,
          subject: claims.sub,
          usernames: [preferred, nickname, verifiedEmail, verifiedEmail?.split('@')[0] ?? null].filter(
            (u): u is string => typeof u === 'string' && u.trim() !== '',
          ),
          email: verifiedEmail,
          role,
        });
        if (result.outcome === 'email_taken') {
          throw fail(
            'oidc_email_taken',
            409,
            'Another account of this Meltano UI already has your email; accounts are never linked by email ' +
              'alone. Ask an admin to remove or change that account.',
          );
        }
        if (result.outcome === 'disabled') {
          throw fail('account_disabled', 403, 'Your account is disabled; ask an admin.');
        }
        await auth.startSession(request, reply, result.user);
        request.log.info(
          {
            event: 'login',
            via: 'oidc',
            username: result.user.username,
            created: result.created,
            role,
            ip: request.ip,
          },
          'signed in with single sign-on',
        );
        return reply.header('Cache-Control', 'no-store').redirect(flow.nextPath, 302);
      } catch (err) {
        return answerError(request, reply, err);
      }
    },
  );

  fastify.get(
    '/auth/oidc/end-session',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary:
          "After signing out: redirects to the provider's sign-out (RP-initiated logout) when it advertises one, else to the sign-in page",
        response: { ...redirectSchema, ...errorResponses(400, 404) },
      },
    },
    async (_request, reply) => {
      const home = `${basePath}/`;
      if (rp === null || !auth.config.authentication) return reply.redirect(home, 302);
      let target = home;
      try {
        const config = await rp.configuration();
        if (config.serverMetadata().end_session_endpoint !== undefined) {
          const client = await openIdClient();
          target = client.buildEndSessionUrl(config, { client_id: rp.oidc.clientId }).href;
        }
      } catch {
        // The provider is down: the local session is already gone; back to the sign-in page.
      }
      return reply.header('Cache-Control', 'no-store').redirect(target, 302);
    },
  );

  fastify.get(
    '/auth/methods',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'How one can sign in (for the sign-in page, before anyone is signed in)',
        response: { 200: Type.Ref('AuthMethods') },
      },
    },
    async () => authMethodsOf(fastify.auth.config),
  );
};

/** `auth_methods` of the identity and of GET /auth/methods. */
export function authMethodsOf(config: {
  authentication: boolean;
  basePath: string;
  oidc: { buttonLabel: string; only: boolean; issuer: string } | null;
}) {
  const oidc = config.authentication ? config.oidc : null;
  return {
    auth_methods: [...(oidc?.only ? [] : ['password']), ...(oidc ? ['oidc'] : [])],
    oidc:
      oidc === null
        ? null
        : {
            button_label: oidc.buttonLabel,
            issuer: oidc.issuer,
            login_url: `${config.basePath}/api/v1/auth/oidc/login`,
            only: oidc.only,
          },
  };
}
