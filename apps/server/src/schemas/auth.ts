import { Type } from 'typebox';
import { Nullable, StringEnum, Timestamp } from './common.js';

export const Role = StringEnum(['admin', 'regular', 'viewer'], {
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
    origin: StringEnum(['local', 'oidc'], {
      description: 'local: a password account; oidc: signs in with single sign-on (oidc_issuer)',
    }),
    oidc_issuer: Nullable(Type.String({ description: 'The OpenID Provider the user signs in with' })),
    roles_pinned: Type.Boolean({
      description: "oidc users: an admin's roles are kept; false: each sign-in applies ui.oidc.role_map",
    }),
  },
  { $id: 'User' },
);

const Permission = Type.Object({
  allowed: Type.Boolean(),
  reason: Nullable(Type.String({ description: 'Why not, in words the UI shows' })),
});

const OidcMethod = Type.Object({
  button_label: Type.String(),
  issuer: Type.String(),
  login_url: Type.String({ description: 'Add ?next=/path to come back to a page' }),
  only: Type.Boolean({ description: 'ui.oidc.only: password sign-in is off on the web' }),
});

const AuthMethodsFields = {
  auth_methods: Type.Array(StringEnum(['password', 'oidc']), {
    description: 'How one can sign in on the web: "password" unless ui.oidc.only, "oidc" with single sign-on',
  }),
  oidc: Nullable(OidcMethod),
};

export const AuthMethods = Type.Object(AuthMethodsFields, { $id: 'AuthMethods' });

export const Identity = Type.Object(
  {
    ...AuthMethodsFields,
    anonymous: Type.Boolean(),
    can_sign_in: Type.Boolean({ description: 'ui.authentication (Meltano field)' }),
    username: Type.String({ description: '"Anonymous" when nobody is signed in (Meltano field)' }),
    authentication: Type.Boolean(),
    user: Nullable(User),
    via: Nullable(StringEnum(['session', 'token'])),
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
