import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { User, UserCreate, UserPatch } from '../../../lib/api-types';

export type Role = User['role'];
export const ROLES: Role[] = ['viewer', 'regular', 'admin'];

export const useUsers = () =>
  useQuery({ queryKey: ['users'], queryFn: ({ signal }) => answer(api.GET('/api/v1/users', { signal })) });

export const useUserTokens = (id: string) =>
  useQuery({
    queryKey: ['users', id, 'tokens'],
    queryFn: ({ signal }) =>
      answer(api.GET('/api/v1/users/{id}/tokens', { params: { path: { id } }, signal })),
  });

function useUsersMutation<A>(fn: (arg: A) => Promise<unknown>) {
  const client = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => client.invalidateQueries({ queryKey: ['users'] }) });
}

export const useCreateUser = () =>
  useUsersMutation((body: UserCreate) => answer(api.POST('/api/v1/users', { body })));

export const useUpdateUser = () =>
  useUsersMutation(({ id, ...body }: { id: string } & UserPatch) =>
    answer(api.PATCH('/api/v1/users/{id}', { params: { path: { id } }, body })),
  );

export const useRemoveUser = () =>
  useUsersMutation((id: string) => answer(api.DELETE('/api/v1/users/{id}', { params: { path: { id } } })));

export const useRevokeUserToken = () =>
  useUsersMutation(({ userId, tokenId }: { userId: string; tokenId: string }) =>
    answer(
      api.DELETE('/api/v1/users/{id}/tokens/{token_id}', {
        params: { path: { id: userId, token_id: tokenId } },
      }),
    ),
  );
