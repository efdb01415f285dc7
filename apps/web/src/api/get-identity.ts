import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../lib/api-client';
import type { Identity, Permission } from '../lib/api-types';
import { retryAfterMs, retryUnavailable } from './identity-retry';

export const identityQueryOptions = () =>
  queryOptions({
    queryKey: ['identity'],
    queryFn: ({ signal }) => answer(api.GET('/api/v1/identity', { signal })),
    retry: retryUnavailable,
    retryDelay: retryAfterMs,
    staleTime: 30_000,
  });

export const useIdentity = () => useQuery(identityQueryOptions());

const UNKNOWN: Permission = { allowed: false, reason: 'Checking what you may do…' };

/** Whether the signed-in user (or anonymous reader) may do this, and why not: the server's own answer. */
export function usePermission(name: keyof Identity['permissions']): Permission {
  return useIdentity().data?.permissions[name] ?? UNKNOWN;
}

/**
 * Whether the caller holds the admin role, read or not (read-only modes aside): the admin pages they
 * may open. With sign-in off everyone is the admin, as the server treats them.
 */
export function isAdmin(identity: Identity | undefined): boolean {
  if (identity === undefined) return false;
  return identity.authentication ? identity.user?.role === 'admin' : true;
}
