import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { Install } from '../../../lib/api-types';

export const getInstall = (id: string, signal?: AbortSignal) =>
  apiGet<Install>(`/installs/${encodeURIComponent(id)}`, signal);

export const installQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ['installs', id],
    queryFn: ({ signal }) => getInstall(id, signal),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? 1000 : false),
  });

export const useInstall = (id: string) => useQuery(installQueryOptions(id));
