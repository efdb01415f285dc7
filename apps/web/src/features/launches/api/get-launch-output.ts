import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { LaunchOutput } from '../../../lib/api-types';

export const getLaunchOutput = (id: string, signal?: AbortSignal) =>
  apiGet<LaunchOutput>(`/launches/${encodeURIComponent(id)}/output?tail=200`, signal);

export const launchOutputQueryOptions = (id: string, live: boolean) =>
  queryOptions({
    queryKey: ['launches', id, 'output'],
    queryFn: ({ signal }) => getLaunchOutput(id, signal),
    refetchInterval: live ? 1000 : false,
  });

export const useLaunchOutput = (id: string, live: boolean) => useQuery(launchOutputQueryOptions(id, live));
