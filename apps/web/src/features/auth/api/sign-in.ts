import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
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

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => answer(api.POST('/api/v1/auth/logout')),
    onSettled: async () => {
      client.removeQueries({ predicate: (q) => q.queryKey[0] !== 'identity' });
      // Back to no identity at all (not "session ended"), then asked again: the sign-in page shows.
      await client.resetQueries({ queryKey: ['identity'] });
    },
  });
}
