import type { CoreError } from '../errors.js';
import { ProjectReadonlyError } from '../project-writes/readonly.js';
import {
  AuthenticationOffError,
  AuthenticationRequiredError,
  PermissionDeniedError,
  ReadonlyModeError,
} from './auth-errors.js';
import type { UiUser } from './users.repository.js';

/**
 * What a route needs, declared by every API route (the server refuses to boot with one that does not):
 * - `public`: anyone (health, sign-in, sign-out, API docs);
 * - `read`: signed in, or anonymous with `ui.anonymous_readonly`;
 * - `account`: a signed-in user's own password and tokens;
 * - `operate`: run and cancel pipelines (`project_readonly` still allows it);
 * - `edit-project`: change project files (refused by `project_readonly` too);
 * - `edit-settings`: set plugin settings (with `project_readonly` they go to the system database);
 * - `admin-read` / `admin-change`: users, roles and their tokens;
 * - `deploy`: move the project checkout to a commit of its Git branch (admins; `project_readonly`
 *   still allows it: version control is how a read-only project changes).
 */
export const ACCESS_LEVELS = [
  'public',
  'read',
  'account',
  'operate',
  'edit-project',
  'edit-settings',
  'admin-read',
  'admin-change',
  'deploy',
] as const;
export type Access = (typeof ACCESS_LEVELS)[number];

/** What a signed-in user may do: `admin` > `regular` > `viewer`. */
export type EffectiveRole = 'admin' | 'regular' | 'viewer';

/**
 * Meltano only ever checked for `admin`; a user without roles could do everything else, so a user
 * with no role (an imported Meltano user, `meltano user add` without -G) is `regular`. Only a user
 * whose roles are all `viewer` is a viewer.
 */
export function effectiveRole(roles: readonly string[]): EffectiveRole {
  if (roles.includes('admin')) return 'admin';
  if (roles.includes('viewer') && !roles.includes('regular')) return 'viewer';
  return 'regular';
}

/**
 * Who is asking: `free` is everyone when ui.authentication is off (Meltano's FreeUser: anonymous,
 * yet allowed everything); `anonymous` is nobody signed in; `user` is a session or API token.
 */
export type Principal =
  | { kind: 'free' }
  | { kind: 'anonymous' }
  | { kind: 'user'; user: UiUser; role: EffectiveRole; via: 'session' }
  /** `tokenName` is the name its owner gave the API token (shown in request logs, never the token). */
  | { kind: 'user'; user: UiUser; role: EffectiveRole; via: 'token'; tokenName: string };

export interface ReadonlyModes {
  readonly: boolean;
  anonymousReadonly: boolean;
  projectReadonly: boolean;
}

export const UI_READONLY_MESSAGE = 'Meltano UI is running in read-only mode';
export const ANONYMOUS_READONLY_MESSAGE = 'Meltano UI is running in read-only mode until you sign in';

const ROLE_RANK: Record<EffectiveRole, number> = { viewer: 0, regular: 1, admin: 2 };

function needsRole(access: Access): EffectiveRole | null {
  if (access === 'operate' || access === 'edit-project' || access === 'edit-settings') return 'regular';
  if (access === 'admin-read' || access === 'admin-change' || access === 'deploy') return 'admin';
  return null;
}

function isChange(access: Access): boolean {
  return (
    access === 'operate' ||
    access === 'edit-project' ||
    access === 'edit-settings' ||
    access === 'admin-change' ||
    access === 'deploy'
  );
}

/**
 * The refusal for `principal` on a route needing `access`, or null when allowed. The order is
 * Meltano's: 401 (not signed in), then 403 (role), then 499 (read-only modes).
 */
export function accessRefusal(access: Access, principal: Principal, modes: ReadonlyModes): CoreError | null {
  if (access === 'public') return null;
  const anonymous = principal.kind !== 'user';
  if (principal.kind === 'anonymous') {
    if (access === 'account' || !modes.anonymousReadonly) return new AuthenticationRequiredError();
  }
  if (access === 'account') return principal.kind === 'free' ? new AuthenticationOffError() : null;
  const role = needsRole(access);
  // The free user of an open UI holds every role. An anonymous reader holds none, but as in Meltano it
  // is told to sign in (499 below) rather than refused (403) on what any signed-in user may do.
  const held: EffectiveRole | null =
    principal.kind === 'user' ? principal.role : principal.kind === 'free' ? 'admin' : null;
  const lacksRole =
    role !== null &&
    (held === null ? principal.kind !== 'anonymous' || role === 'admin' : ROLE_RANK[held] < ROLE_RANK[role]);
  if (lacksRole) return new PermissionDeniedError(role);
  if (!isChange(access)) return null;
  if (modes.readonly) return new ReadonlyModeError(UI_READONLY_MESSAGE);
  if (anonymous && modes.anonymousReadonly) return new ReadonlyModeError(ANONYMOUS_READONLY_MESSAGE);
  if (access === 'edit-project' && modes.projectReadonly) return new ProjectReadonlyError();
  return null;
}
