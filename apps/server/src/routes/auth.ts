import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AuthenticationOffError,
  accessRefusal,
  InvalidCredentialsError,
  PasswordSignInOffError,
  type Principal,
} from '@meltano-ui/core';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { projectReadonlyNow } from '../plugins/app/access-control.js';
import { Password, Username } from '../schemas/auth.js';
import { errorResponses } from '../schemas/common.js';
import { keyCaseOnSend } from './compat/key-case.js';
import { oldUnauthorizedFor } from './compat/old-errors.js';
import { authMethodsOf } from './oidc.js';
import { userView } from './user-view.js';

/**
 * What a principal of one kind and role may do under one set of read-only modes never changes, and
 * working it out builds an Error (a stack trace) per refusal: kept, a few dozen entries at most.
 */
const PERMISSIONS = new Map<string, { allowed: boolean; reason: string | null }>();

/** The identity the SPA adapts to: who, how, and what they may do (and why not). */
export async function identityOf(fastify: FastifyInstance, principal: Principal) {
  const { core } = fastify;
  const modes = {
    readonly: core.readonly,
    anonymousReadonly: core.anonymousReadonly,
    projectReadonly: await projectReadonlyNow(core),
  };
  const role = principal.kind === 'user' ? principal.role : '';
  const key = `${principal.kind}:${role}:${modes.readonly}:${modes.anonymousReadonly}:${modes.projectReadonly}`;
  const permission = (access: Parameters<typeof accessRefusal>[0]) => {
    const memo = `${key}:${access}`;
    let answer = PERMISSIONS.get(memo);
    if (answer === undefined) {
      const refusal = accessRefusal(access, principal, modes);
      answer = { allowed: refusal === null, reason: refusal?.message ?? null };
      PERMISSIONS.set(memo, answer);
    }
    return answer;
  };
  const user = principal.kind === 'user' ? principal.user : null;
  return {
    ...authMethodsOf(fastify.auth.config),
    anonymous: user === null,
    can_sign_in: fastify.auth.config.authentication && user === null,
    username: user?.username ?? 'Anonymous',
    authentication: fastify.auth.config.authentication,
    user: user === null ? null : userView(user),
    via: principal.kind === 'user' ? principal.via : null,
    readonly: { ui: modes.readonly, anonymous: modes.anonymousReadonly, project: modes.projectReadonly },
    permissions: {
      operate: permission('operate'),
      edit_project: permission('edit-project'),
      edit_settings: permission('edit-settings'),
      manage_users: permission('admin-change'),
      // The workspace's active environment: admins, the UI's own table (project_readonly allows it).
      switch_environment: permission('admin-change'),
      deploy: permission('deploy'),
    },
  };
}

/** Sign in, sign out, and who am I. */
export const authRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { auth } = fastify;

  fastify.get(
    '/identity',
    {
      // Signed out, the 401 says how to sign in: details.auth_methods (as GET /auth/methods).
      config: { access: 'read', signInDetails: () => authMethodsOf(fastify.auth.config) },
      // The old Meltano UI's identity route too: `X-JSON-SCHEME: camel` gives camelCase keys (and its 401).
      onSend: keyCaseOnSend,
      errorHandler: oldUnauthorizedFor(fastify),
      schema: {
        tags: ['auth'],
        summary: 'Who is signed in and what they may do (401 when sign-in is required)',
        response: { 200: Type.Ref('Identity'), ...errorResponses(401) },
      },
    },
    async (request) => identityOf(fastify, request.principal),
  );

  fastify.post(
    '/auth/login',
    {
      config: { access: 'public' },
      bodyLimit: 16 * 1024,
      schema: {
        tags: ['auth'],
        summary: 'Sign in with a user name (or email) and password; sets the session cookie',
        body: Type.Object({ username: Username, password: Password }, { additionalProperties: false }),
        response: { 200: Type.Ref('Identity'), ...errorResponses(400, 401, 403, 429) },
      },
    },
    async (request, reply) => {
      if (!auth.config.authentication) {
        throw new AuthenticationOffError();
      }
      if (auth.config.oidc?.only) throw new PasswordSignInOffError();
      const { username, password } = request.body;
      // Counted before the password is checked: a burst gets at most the limit of checks.
      await auth.reserveAttempt(request, reply, username);
      const user = await auth.service.login(username, password);
      // The user name tried is shown to admins (it is in the request log too); never the password.
      request.audit({ username });
      if (user === null) {
        request.log.warn({ event: 'login_failed', username, ip: request.ip }, 'sign-in failed');
        throw new InvalidCredentialsError();
      }
      await auth.throttle.succeeded(username, request.ip);
      await auth.startSession(request, reply, user);
      request.audit({}, { actor: user.username });
      request.log.info({ event: 'login', username: user.username, ip: request.ip }, 'signed in');
      return identityOf(fastify, { kind: 'user', user, role: userView(user).role, via: 'session' });
    },
  );

  fastify.post(
    '/auth/logout',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Sign out: the session is destroyed on the server and the cookie cleared',
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      await auth.endSession(request, reply);
      return reply.status(204).send(null);
    },
  );
};
