import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getInstall = (id: string, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/installs/{install}', { params: { path: { install: id } }, signal }));

export const installQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ['installs', id],
    queryFn: ({ signal }) => getInstall(id, signal),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1000 : false),
  });

export const useInstall = (id: string) => useQuery(installQueryOptions(id));
