import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { UiRole, UiUser } from '@meltano-ui/core';
import { Type } from 'typebox';
import { OLD_FORBIDDEN, OldAnswer, OldError, OldMessage, oldErrors } from './old-errors.js';
import { OLD_UI_TAG } from './tag.js';

/** What Meltano seeded the admin role with; nothing checked them in Meltano 2.20, nor here. */
const ADMIN_PERMISSIONS = [
  { type: 'view:design', context: '*' },
  { type: 'view:reports', context: '*' },
  { type: 'modify:acl', context: '*' },
  { type: '*', context: '*' },
];
/** Our built-in roles: admin (everything), regular (everything but users and roles), viewer (read). */
const BUILT_IN = new Set(['admin', 'regular', 'viewer']);
const NULL_ROLE = { name: null, description: null, permissions: null };

const Permission = Type.Object({ type: Type.String(), context: Type.Union([Type.String(), Type.Null()]) });
const RoleObject = Type.Object({
  name: Type.Union([Type.String(), Type.Null()]),
  description: Type.Union([Type.String(), Type.Null()]),
  permissions: Type.Union([Type.Array(Permission), Type.Null()]),
});
const RoleRef = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 80 }),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
});
const RoleBody = Type.Object({
  role: RoleRef,
  user: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
});
const PermissionBody = Type.Object({
  role: RoleRef,
  permission_type: Type.String({ minLength: 1, maxLength: 255 }),
  context: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
});
const ForbiddenString = Type.String({
  description: 'The JSON string "You do not have the required permissions."',
});

function roleObject(role: UiRole) {
  return {
    name: role.name,
    description: role.description,
    permissions: role.name === 'admin' ? ADMIN_PERMISSIONS : [],
  };
}

/** The old `settings/acl` resources, mapped onto our users and roles (admins only). */
export const compatAclRoutes: FastifyPluginAsyncTypebox = async (fastify) => {
  const { service } = fastify.auth;

  const findRole = async (name: string) => (await service.users.roles()).find((r) => r.name === name) ?? null;
  const findUser = async (login: string): Promise<UiUser> => {
    const user = await service.users.find(login);
    if (user === null) throw new OldAnswer(404, { message: `No user named '${login}'.` });
    return user;
  };

  fastify.get(
    '/settings/acl',
    {
      config: { access: 'admin-read', oldForbidden: { users: null, roles: null, permissions: null } },
      schema: {
        tags: [OLD_UI_TAG],
        summary: 'Users with their roles, and the roles (admins)',
        response: {
          200: Type.Object({
            users: Type.Array(Type.Object({}, { additionalProperties: true })),
            roles: Type.Array(RoleObject),
            permissions: Type.Array(Permission),
          }),
          ...oldErrors(401),
          403: Type.Object({ users: Type.Null(), roles: Type.Null(), permissions: Type.Null() }),
        },
      },
    },
    async () => {
      const [users, roles] = await Promise.all([service.users.list(), service.users.roles()]);
      return {
        users: users.map((u) => ({
          username: u.username,
          active: u.active,
          confirmed_at: null,
          roles: u.roles,
        })),
        roles: roles.map(roleObject),
        permissions: [],
      };
    },
  );

  fastify.post(
    '/settings/acl/roles',
    {
      config: { access: 'admin-change', oldForbidden: JSON.stringify(OLD_FORBIDDEN) },
      schema: {
        tags: [OLD_UI_TAG],
        summary: 'Create a role if missing, and give it to `user` if named; 201 with the role',
        body: RoleBody,
        response: {
          201: RoleObject,
          ...oldErrors(400, 401, 409, 499, 503),
          403: ForbiddenString,
          404: OldMessage,
        },
      },
    },
    async (request, reply) => {
      const { role, user } = request.body;
      const target = user === undefined ? null : await findUser(user);
      if ((await findRole(role.name)) === null) {
        await service.users.createRole({ name: role.name, description: role.description ?? null });
      }
      if (target !== null && !target.roles.includes(role.name)) {
        await service.users.update(target.id, { roles: [...target.roles, role.name] }, { keepAnAdmin: true });
      }
      request.audit({ role: role.name, ...(user === undefined ? {} : { user }) });
      return reply.status(201).send(roleObject((await findRole(role.name)) as UiRole));
    },
  );

  fastify.delete(
    '/settings/acl/roles',
    {
      config: { access: 'admin-change', oldForbidden: JSON.stringify(OLD_FORBIDDEN) },
      schema: {
        tags: [OLD_UI_TAG],
        summary: 'Take the role from `user`, or without `user` delete the role (never a built-in one: 403)',
        body: RoleBody,
        response: {
          201: RoleObject,
          400: Type.Union([RoleObject, OldError]),
          403: Type.Union([ForbiddenString, RoleObject]),
          ...oldErrors(401, 409, 499, 503),
          404: OldMessage,
        },
      },
    },
    async (request, reply) => {
      const { role, user } = request.body;
      const found = await findRole(role.name);
      if (found === null) return reply.status(400).send(NULL_ROLE);
      if (user !== undefined) {
        const target = await findUser(user);
        // Taking admin from the last active admin is refused (409): nobody could manage users then.
        await service.users.update(
          target.id,
          { roles: target.roles.filter((r) => r !== role.name) },
          { keepAnAdmin: true },
        );
        request.audit({ role: role.name, user });
        return reply.status(201).send(roleObject(found));
      }
      if (BUILT_IN.has(found.name)) return reply.status(403).send(NULL_ROLE);
      await service.users.deleteRole(found.name);
      request.audit({ role: role.name });
      return reply.status(201).send(roleObject(found));
    },
  );

  const permissionRoute = (method: 'POST' | 'DELETE') =>
    fastify.route({
      method,
      url: '/settings/acl/roles/permissions',
      config: { access: 'admin-change', oldForbidden: JSON.stringify(OLD_FORBIDDEN) },
      schema: {
        tags: [OLD_UI_TAG],
        summary:
          method === 'POST'
            ? "A role's permission (roles here have fixed meanings: 200 only when it already holds it)"
            : "Remove a role's permission (200 when it has none such; fixed ones cannot be removed: 400)",
        body: PermissionBody,
        response: {
          200: RoleObject,
          400: Type.Union([RoleObject, OldMessage, OldError]),
          403: ForbiddenString,
          ...oldErrors(401, 499, 503),
        },
      },
      handler: async (request, reply) => {
        const { role, permission_type } = request.body;
        const context = request.body.context ?? null;
        const found = await findRole(role.name);
        if (found === null) return reply.status(400).send(NULL_ROLE);
        const view = roleObject(found);
        const holds = view.permissions.some((p) => p.type === permission_type && p.context === context);
        if (method === 'POST' ? holds : !holds) return reply.status(200).send(view);
        return reply.status(400).send({
          message:
            'Role permissions cannot be changed here: a role means what it is (admin: everything; ' +
            'regular and any other role: everything but users and roles; viewer: read only), as Meltano ' +
            '2.20 enforced only the admin role.',
        });
      },
    });
  permissionRoute('POST');
  permissionRoute('DELETE');
};
