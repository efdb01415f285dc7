import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { AccountPassword } from '../../../lib/api-types';

export const useChangePassword = () =>
  useMutation({
    mutationFn: (body: AccountPassword) => answer(api.POST('/api/v1/account/password', { body })),
  });

export const useMyTokens = () =>
  useQuery({
    queryKey: ['account', 'tokens'],
    queryFn: ({ signal }) => answer(api.GET('/api/v1/account/tokens', { signal })),
  });

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => answer(api.POST('/api/v1/account/tokens', { body: { name } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['account', 'tokens'] }),
  });
}

export function useRevokeMyToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      answer(api.DELETE('/api/v1/account/tokens/{token_id}', { params: { path: { token_id: id } } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['account', 'tokens'] }),
  });
}
