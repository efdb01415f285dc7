import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { apiDelete, apiGet, apiPatch, apiPost } from '../../../lib/api-client';
import type { ApiToken, User } from '../../../lib/api-types';

export type Role = User['role'];
export const ROLES: Role[] = ['viewer', 'regular', 'admin'];

export const useUsers = () =>
  useQuery({ queryKey: ['users'], queryFn: ({ signal }) => apiGet<{ users: User[] }>('/users', signal) });

export const useUserTokens = (id: string) =>
  useQuery({
    queryKey: ['users', id, 'tokens'],
    queryFn: ({ signal }) =>
      apiGet<{ tokens: ApiToken[] }>(`/users/${encodeURIComponent(id)}/tokens`, signal),
  });

function useUsersMutation<A>(fn: (arg: A) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: ['users'] }) });
}

export const useCreateUser = () =>
  useUsersMutation((body: { username: string; password: string; email?: string | null; roles: string[] }) =>
    apiPost<User>('/users', body),
  );

export const useUpdateUser = () =>
  useUsersMutation(({ id, ...body }: { id: string; roles?: string[]; active?: boolean; password?: string }) =>
    apiPatch<User>(`/users/${encodeURIComponent(id)}`, body),
  );

export const useRemoveUser = () =>
  useUsersMutation((id: string) => apiDelete(`/users/${encodeURIComponent(id)}`));

export const useRevokeUserToken = () =>
  useUsersMutation(({ userId, tokenId }: { userId: string; tokenId: string }) =>
    apiDelete(`/users/${encodeURIComponent(userId)}/tokens/${encodeURIComponent(tokenId)}`),
  );
