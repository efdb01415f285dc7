import { effectiveRole, type UiUser } from '@meltano-ui/core';

/** A user as the API shows it (never a password hash). */
export function userView(user: UiUser) {
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    active: user.active,
    roles: user.roles,
    role: effectiveRole(user.roles),
    created_at: user.created_at,
    last_login_at: user.last_login_at,
    login_count: user.login_count,
    imported_from_meltano: user.imported_from_meltano_id !== null,
    origin: user.oidc_issuer === null ? ('local' as const) : ('oidc' as const),
    oidc_issuer: user.oidc_issuer,
    roles_pinned: user.roles_pinned,
  };
}
