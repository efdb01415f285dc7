import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { Schedule } from '../../../lib/api-types';

export const getSchedules = (signal?: AbortSignal) =>
  apiGet<{ schedules: Schedule[] }>('/schedules', signal).then((r) => r.schedules);

// Running pipelines change within seconds; a 3 s refresh keeps the list honest without a push channel.
export const schedulesQueryOptions = () =>
  queryOptions({
    queryKey: ['schedules'],
    queryFn: ({ signal }) => getSchedules(signal),
    refetchInterval: 3000,
  });

export const useSchedules = () => useQuery(schedulesQueryOptions());
