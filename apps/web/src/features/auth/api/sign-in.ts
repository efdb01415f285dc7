import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api, BASE_PATH } from '../../../lib/api-client';
import type { SignIn } from '../../../lib/api-types';

export function useSignIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: SignIn) => answer(api.POST('/api/v1/auth/login', { body })),
    onSuccess: (identity) => {
      // Everything cached was fetched as someone else (or nobody).
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'identity' });
      client.setQueryData(['identity'], identity);
    },
  });
}

/** How one can sign in here (passwords, single sign-on): asked before anyone is signed in. */
export const useAuthMethods = () =>
  useQuery({
    queryKey: ['auth-methods'],
    queryFn: ({ signal }) => answer(api.GET('/api/v1/auth/methods', { signal })),
    staleTime: Number.POSITIVE_INFINITY,
  });

/**
 * Signs out here; a user who came through single sign-on then goes on to the provider's own sign-out
 * (RP-initiated logout) when it offers one, else back to the sign-in page.
 */
export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (opts: { viaProvider?: boolean } | undefined) => {
      await answer(api.POST('/api/v1/auth/logout'));
      if (opts?.viaProvider) window.location.assign(`${BASE_PATH}/api/v1/auth/oidc/end-session`);
    },
    onSettled: async () => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'identity' });
      // Back to no identity at all (not "session ended"), then asked again: the sign-in page shows.
      await client.resetQueries({ queryKey: ['identity'] });
    },
  });
}
