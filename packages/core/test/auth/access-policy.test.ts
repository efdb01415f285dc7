import { describe, expect, it } from 'vitest';
import {
  ACCESS_LEVELS,
  type Access,
  accessRefusal,
  effectiveRole,
  type Principal,
  type ReadonlyModes,
} from '../../src/auth/access-policy.js';
import type { UiUser } from '../../src/auth/users.repository.js';

const user = (roles: string[]): Principal => ({
  kind: 'user',
  user: { id: 'u', username: 'u', email: null, active: true, roles } as unknown as UiUser,
  role: effectiveRole(roles),
  via: 'session',
});
const NONE: ReadonlyModes = { readonly: false, anonymousReadonly: false, projectReadonly: false };
const status = (access: Access, who: Principal, modes: Partial<ReadonlyModes> = {}) => {
  const refusal = accessRefusal(access, who, { ...NONE, ...modes });
  return refusal === null ? 'ok' : `${refusal.status} ${refusal.code}`;
};

describe('effective role', () => {
  it('is admin with admin, viewer only with viewer alone, regular otherwise (Meltano: no role = regular)', () => {
    expect(effectiveRole(['admin', 'viewer'])).toBe('admin');
    expect(effectiveRole(['viewer'])).toBe('viewer');
    expect(effectiveRole(['viewer', 'regular'])).toBe('regular');
    expect(effectiveRole([])).toBe('regular');
  });
});

describe('access refusals', () => {
  it('public routes answer anyone, whatever the modes', () => {
    for (const who of [{ kind: 'anonymous' } as const, user(['viewer'])]) {
      expect(status('public', who, { readonly: true, projectReadonly: true })).toBe('ok');
    }
  });

  it('checks 401, then 403, then 499, as Meltano did', () => {
    const anonymous: Principal = { kind: 'anonymous' };
    expect(status('operate', anonymous, { readonly: true })).toBe('401 authentication_required');
    expect(status('admin-change', user(['regular']), { readonly: true })).toBe('403 permission_denied');
    expect(status('admin-change', user(['admin']), { readonly: true })).toBe(
      '499 Meltano UI is running in read-only mode',
    );
  });

  it('anonymous readers may read; changes tell them to sign in, admin routes refuse them', () => {
    const anonymous: Principal = { kind: 'anonymous' };
    const modes = { anonymousReadonly: true };
    expect(status('read', anonymous, modes)).toBe('ok');
    expect(status('operate', anonymous, modes)).toBe(
      '499 Meltano UI is running in read-only mode until you sign in',
    );
    expect(status('admin-read', anonymous, modes)).toBe('403 permission_denied');
    expect(status('account', anonymous, modes)).toBe('401 authentication_required');
  });

  it('project_readonly refuses project edits only: runs and settings go on', () => {
    const regular = user([]);
    const modes = { projectReadonly: true };
    expect(status('edit-project', regular, modes)).toBe('499 This Meltano project is deployed as read-only');
    expect(status('operate', regular, modes)).toBe('ok');
    expect(status('edit-settings', regular, modes)).toBe('ok');
    // Deployments are the version-control path a read-only project changes by; admins only.
    expect(status('deploy', user(['admin']), modes)).toBe('ok');
    expect(status('deploy', regular, modes)).toBe('403 permission_denied');
    expect(status('deploy', user(['admin']), { readonly: true })).toBe(
      '499 Meltano UI is running in read-only mode',
    );
  });

  it('viewers read only', () => {
    const viewer = user(['viewer']);
    expect(ACCESS_LEVELS.filter((a) => status(a, viewer) === 'ok')).toEqual(['public', 'read', 'account']);
  });

  it('with authentication off everyone is the free user: allowed, but anonymous for anonymous_readonly', () => {
    const free: Principal = { kind: 'free' };
    expect(status('admin-change', free)).toBe('ok');
    expect(status('account', free)).toBe('400 authentication_off');
    expect(status('operate', free, { anonymousReadonly: true })).toBe(
      '499 Meltano UI is running in read-only mode until you sign in',
    );
  });
});
