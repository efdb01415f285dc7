import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getUpgrade = (id: string, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/meltano/upgrades/{upgrade}', { params: { path: { upgrade: id } }, signal }));

export const upgradeQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ['upgrades', id],
    queryFn: ({ signal }) => getUpgrade(id, signal),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1000 : false),
  });

export const useUpgrade = (id: string | null) =>
  useQuery({ ...upgradeQueryOptions(id ?? ''), enabled: id !== null });
