import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { InvalidInputError, NotFoundError, type Principal, type UiUser } from '@meltano-ui/core';
import { Type } from 'typebox';
import { Password } from '../schemas/auth.js';
import { errorResponses } from '../schemas/common.js';

const TokenName = Type.String({ minLength: 1, maxLength: 100 });
export const TokenParams = Type.Object({ token_id: Type.String({ format: 'uuid' }) });

/** The signed-in user (the `account` access level guarantees one). */
export function accountOf(principal: Principal): UiUser {
  if (principal.kind !== 'user') throw new Error('account route reached without a signed-in user');
  return principal.user;
}

/** The signed-in user's own password and API tokens. */
export const accountRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { auth } = fastify;
  const account = { config: { access: 'account' as const } };

  fastify.post(
    '/account/password',
    {
      ...account,
      bodyLimit: 16 * 1024,
      schema: {
        tags: ['auth'],
        summary: 'Change your own password; your other sessions end',
        body: Type.Object(
          { current_password: Password, new_password: Password },
          { additionalProperties: false },
        ),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 429) },
      },
    },
    async (request, reply) => {
      const user = accountOf(request.principal);
      await auth.reserveAttempt(request, reply, user.username);
      const changed = await auth.service.changePassword(
        user.id,
        request.body.current_password,
        request.body.new_password,
        request.principal.kind === 'user' && request.principal.via === 'session'
          ? (auth.sessionToken(request) ?? undefined)
          : undefined,
      );
      if (!changed) {
        throw new InvalidInputError('The current password is wrong.', { field: 'current_password' });
      }
      await auth.throttle.succeeded(user.username, request.ip);
      request.log.info(
        { event: 'password_changed', username: user.username, ip: request.ip },
        'password changed',
      );
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '/account/tokens',
    {
      ...account,
      schema: {
        tags: ['auth'],
        summary: 'Your API tokens (never the secrets)',
        response: { 200: Type.Object({ tokens: Type.Array(Type.Ref('ApiToken')) }), ...errorResponses(401) },
      },
    },
    async (request) => ({ tokens: await auth.service.listApiTokens(accountOf(request.principal).id) }),
  );

  fastify.post(
    '/account/tokens',
    {
      ...account,
      schema: {
        tags: ['auth'],
        summary:
          'Create an API token for scripts (`Authorization: Bearer <token>`); the secret is shown once',
        body: Type.Object({ name: TokenName }, { additionalProperties: false }),
        response: {
          201: Type.Object({ token: Type.String(), api_token: Type.Ref('ApiToken') }),
          ...errorResponses(400, 401),
        },
      },
    },
    async (request, reply) => {
      const user = accountOf(request.principal);
      const created = await auth.service.createApiToken(user.id, request.body.name);
      request.log.info(
        { event: 'token_created', username: user.username, token_id: created.apiToken.id },
        'API token created',
      );
      return reply.status(201).send({ token: created.token, api_token: created.apiToken });
    },
  );

  fastify.delete(
    '/account/tokens/:token_id',
    {
      ...account,
      schema: {
        tags: ['auth'],
        summary: 'Revoke one of your API tokens',
        params: TokenParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 404) },
      },
    },
    async (request, reply) => {
      const user = accountOf(request.principal);
      if (!(await auth.service.revokeApiToken(user.id, request.params.token_id))) {
        throw new NotFoundError('api_token', 'No such API token');
      }
      return reply.status(204).send(null);
    },
  );
};
