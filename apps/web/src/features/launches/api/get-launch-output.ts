import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getLaunchOutput = (id: string, signal?: AbortSignal) =>
  answer(
    api.GET('/api/v1/launches/{launch}/output', {
      params: { path: { launch: id }, query: { tail: 200 } },
      signal,
    }),
  );

export const launchOutputQueryOptions = (id: string, live: boolean) =>
  queryOptions({
    queryKey: ['launches', id, 'output'],
    queryFn: ({ signal }) => getLaunchOutput(id, signal),
    refetchInterval: live ? 1000 : false,
  });

export const useLaunchOutput = (id: string, live: boolean) => useQuery(launchOutputQueryOptions(id, live));
