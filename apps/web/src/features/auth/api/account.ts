import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiDelete, apiGet, apiPost } from '../../../lib/api-client';
import type { ApiToken } from '../../../lib/api-types';

export const useChangePassword = () =>
  useMutation({
    mutationFn: (body: { current_password: string; new_password: string }) =>
      apiPost<void>('/account/password', body),
  });

export const useMyTokens = () =>
  useQuery({
    queryKey: ['account', 'tokens'],
    queryFn: ({ signal }) => apiGet<{ tokens: ApiToken[] }>('/account/tokens', signal),
  });

export function useCreateToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      apiPost<{ token: string; api_token: ApiToken }>('/account/tokens', { name }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['account', 'tokens'] }),
  });
}

export function useRevokeMyToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiDelete(`/account/tokens/${encodeURIComponent(id)}`),
    onSuccess: () => client.invalidateQueries({ queryKey: ['account', 'tokens'] }),
  });
}
