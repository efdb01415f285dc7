import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { Launch } from '../../../lib/api-types';

export const getLaunch = (id: string, signal?: AbortSignal) =>
  apiGet<Launch>(`/launches/${encodeURIComponent(id)}`, signal);

export const launchQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ['launches', id],
    queryFn: ({ signal }) => getLaunch(id, signal),
    refetchInterval: (query) =>
      query.state.data?.status === 'exited' || query.state.data?.status === 'failed_to_start' ? false : 1000,
  });

export const useLaunch = (id: string) => useQuery(launchQueryOptions(id));
