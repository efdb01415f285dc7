import { Type } from 'typebox';
import { Nullable, Timestamp } from './common.js';

export const Role = Type.Union([Type.Literal('admin'), Type.Literal('regular'), Type.Literal('viewer')], {
  description:
    'What the user may do: admin > regular > viewer (a user without roles is regular, as in Meltano)',
});

export const User = Type.Object(
  {
    id: Type.String(),
    username: Type.String(),
    email: Nullable(Type.String()),
    active: Type.Boolean(),
    roles: Type.Array(Type.String()),
    role: Role,
    created_at: Type.String(),
    last_login_at: Nullable(Type.String()),
    login_count: Type.Integer(),
    imported_from_meltano: Type.Boolean(),
  },
  { $id: 'User' },
);

const Permission = Type.Object({
  allowed: Type.Boolean(),
  reason: Nullable(Type.String({ description: 'Why not, in words the UI shows' })),
});

export const Identity = Type.Object(
  {
    anonymous: Type.Boolean(),
    can_sign_in: Type.Boolean({ description: 'ui.authentication (Meltano field)' }),
    username: Type.String({ description: '"Anonymous" when nobody is signed in (Meltano field)' }),
    authentication: Type.Boolean(),
    user: Nullable(Type.Ref('User')),
    via: Nullable(Type.Union([Type.Literal('session'), Type.Literal('token')])),
    readonly: Type.Object({ ui: Type.Boolean(), anonymous: Type.Boolean(), project: Type.Boolean() }),
    permissions: Type.Object({
      operate: Permission,
      edit_project: Permission,
      edit_settings: Permission,
      manage_users: Permission,
      switch_environment: Permission,
      deploy: Permission,
    }),
  },
  { $id: 'Identity' },
);

export const ApiToken = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    created_at: Timestamp,
    last_used_at: Nullable(Timestamp),
    revoked_at: Nullable(Timestamp),
  },
  { $id: 'ApiToken' },
);

export const Password = Type.String({ minLength: 1, maxLength: 1000 });
export const Username = Type.String({ minLength: 1, maxLength: 200 });
