import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NotFoundError, type UiUser } from '@meltano-ui/core';
import { Type } from 'typebox';
import { Password, Username } from '../schemas/auth.js';
import { errorResponses, Nullable } from '../schemas/common.js';
import { accountOf, TokenParams } from './account.js';
import { userView } from './user-view.js';

const UserParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Roles = Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20, uniqueItems: true });
const Email = Nullable(Type.String({ format: 'email', maxLength: 320 }));

/** Users, roles and users' tokens: admins only. */
export const userRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { service } = fastify.auth;
  const read = { config: { access: 'admin-read' as const } };
  const change = { config: { access: 'admin-change' as const } };

  const notFound = (id: string) => new NotFoundError('user', `No user with id ${id}`);
  const existing = async (id: string): Promise<UiUser> => {
    const user = await service.users.findById(id);
    if (user === null) throw notFound(id);
    return user;
  };
  fastify.get(
    '/users',
    {
      ...read,
      schema: {
        tags: ['users'],
        summary: 'Every user with roles and last sign-in',
        response: { 200: Type.Object({ users: Type.Array(Type.Ref('User')) }), ...errorResponses(401, 403) },
      },
    },
    async () => ({ users: (await service.users.list()).map(userView) }),
  );

  fastify.get(
    '/roles',
    {
      ...read,
      schema: {
        tags: ['users'],
        summary: 'The roles a user can hold',
        response: {
          200: Type.Object({
            roles: Type.Array(Type.Object({ name: Type.String(), description: Nullable(Type.String()) })),
          }),
          ...errorResponses(401, 403),
        },
      },
    },
    async () => ({ roles: await service.users.roles() }),
  );

  fastify.post(
    '/users',
    {
      ...change,
      bodyLimit: 16 * 1024,
      schema: {
        tags: ['users'],
        summary: 'Add a user',
        body: Type.Object(
          {
            username: Username,
            password: Password,
            email: Type.Optional(Email),
            roles: Type.Optional(Roles),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Ref('User'), ...errorResponses(400, 401, 403, 409, 499) },
      },
    },
    async (request, reply) => {
      const user = await service.users.create({
        username: request.body.username,
        password: request.body.password,
        email: request.body.email ?? null,
        roles: request.body.roles ?? [],
      });
      request.log.info(
        { event: 'user_created', username: user.username, by: accountOrFree(request.principal) },
        'user created',
      );
      return reply.status(201).send(userView(user));
    },
  );

  fastify.patch(
    '/users/:id',
    {
      ...change,
      bodyLimit: 16 * 1024,
      schema: {
        tags: ['users'],
        summary:
          'Change roles, disable or enable, or set a new password (the user is signed out everywhere); ' +
          "for single sign-on users, roles_pinned keeps the roles instead of the role map's at next sign-in",
        params: UserParams,
        body: Type.Object(
          {
            roles: Type.Optional(Roles),
            active: Type.Optional(Type.Boolean()),
            password: Type.Optional(Password),
            roles_pinned: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: Type.Ref('User'), ...errorResponses(400, 401, 403, 404, 409, 499) },
      },
    },
    async (request) => {
      // The last-admin check and the change are one transaction: two admins demoting each other at
      // once cannot both pass (an admin cannot take away the last active admin, themselves included).
      const { roles_pinned, ...change } = request.body;
      const updated = await service.users.update(
        request.params.id,
        { ...change, ...(roles_pinned === undefined ? {} : { rolesPinned: roles_pinned }) },
        { keepAnAdmin: true },
      );
      if (updated === null) throw notFound(request.params.id);
      request.log.info(
        {
          event: 'user_changed',
          username: updated.username,
          by: accountOrFree(request.principal),
          changed: Object.keys(request.body),
        },
        'user changed',
      );
      return userView(updated);
    },
  );

  fastify.delete(
    '/users/:id',
    {
      ...change,
      schema: {
        tags: ['users'],
        summary: 'Remove a user, their sessions and tokens',
        params: UserParams,
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 409, 499) },
      },
    },
    async (request, reply) => {
      const target = await existing(request.params.id);
      if (!(await service.users.remove(target.id, { keepAnAdmin: true }))) throw notFound(target.id);
      request.log.info(
        { event: 'user_removed', username: target.username, by: accountOrFree(request.principal) },
        'user removed',
      );
      return reply.status(204).send(null);
    },
  );

  fastify.get(
    '/users/:id/tokens',
    {
      ...read,
      schema: {
        tags: ['users'],
        summary: "A user's API tokens",
        params: UserParams,
        response: {
          200: Type.Object({ tokens: Type.Array(Type.Ref('ApiToken')) }),
          ...errorResponses(400, 401, 403, 404),
        },
      },
    },
    async (request) => ({ tokens: await service.listApiTokens((await existing(request.params.id)).id) }),
  );

  fastify.delete(
    '/users/:id/tokens/:token_id',
    {
      ...change,
      schema: {
        tags: ['users'],
        summary: "Revoke a user's API token",
        params: Type.Intersect([UserParams, TokenParams]),
        response: { 204: Type.Null(), ...errorResponses(400, 401, 403, 404, 499) },
      },
    },
    async (request, reply) => {
      const target = await existing(request.params.id);
      if (!(await service.revokeApiToken(target.id, request.params.token_id))) {
        throw new NotFoundError('api_token', 'No such API token');
      }
      return reply.status(204).send(null);
    },
  );
};

function accountOrFree(principal: Parameters<typeof accountOf>[0]): string {
  return principal.kind === 'user' ? accountOf(principal).username : 'anyone (authentication off)';
}
