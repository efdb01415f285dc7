import { describe, expect, it } from 'vitest';
import { groupsFrom, isLoopbackHost, roleForGroups } from '../../src/auth/oidc-config.js';

describe('single sign-on role map', () => {
  const config = {
    roleMap: { 'meltano-admins': 'admin', 'data-engineers': 'regular', analysts: 'viewer' } as const,
    defaultRole: null,
  };

  it('gives the highest role of the mapped groups, else the default role (null refuses)', () => {
    expect(roleForGroups(config, ['analysts', 'meltano-admins'])).toBe('admin');
    expect(roleForGroups(config, ['analysts', 'data-engineers'])).toBe('regular');
    expect(roleForGroups(config, ['/analysts'])).toBe('viewer');
    expect(roleForGroups(config, ['marketing'])).toBeNull();
    expect(roleForGroups(config, [])).toBeNull();
    expect(roleForGroups({ ...config, defaultRole: 'viewer' }, ['marketing'])).toBe('viewer');
    // Object prototype names are not groups of the map.
    expect(roleForGroups(config, ['constructor', '__proto__', 'toString'])).toBeNull();
  });

  it('reads the groups claim by name or dotted path; strings only', () => {
    expect(groupsFrom({ groups: ['a', 1, 'b'] }, 'groups')).toEqual(['a', 'b']);
    expect(groupsFrom({ realm_access: { roles: ['x'] } }, 'realm_access.roles')).toEqual(['x']);
    expect(groupsFrom({ 'https://example.com/groups': 'one' }, 'https://example.com/groups')).toEqual([
      'one',
    ]);
    expect(groupsFrom({}, 'groups')).toBeNull();
    expect(groupsFrom({ groups: { a: 1 } }, 'groups')).toBeNull();
  });

  it('takes only loopback hosts as loopback', () => {
    for (const h of ['localhost', 'idp.localhost', '127.0.0.1', '127.5.6.7', '[::1]', '::1']) {
      expect(isLoopbackHost(h), h).toBe(true);
    }
    for (const h of ['example.com', '10.0.0.1', '192.168.1.1', 'localhost.example.com', '::2']) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
  });
});
