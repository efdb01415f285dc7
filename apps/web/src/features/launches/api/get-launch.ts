import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getLaunch = (id: string, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/launches/{launch}', { params: { path: { launch: id } }, signal }));

export const launchQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ['launches', id],
    queryFn: ({ signal }) => getLaunch(id, signal),
    refetchInterval: (query) =>
      query.state.data?.status === 'exited' || query.state.data?.status === 'failed_to_start' ? false : 1000,
  });

export const useLaunch = (id: string) => useQuery(launchQueryOptions(id));
