import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { Schedule } from '../../../lib/api-types';

export const getSchedules = (signal?: AbortSignal) =>
  apiGet<{ schedules: Schedule[] }>('/schedules', signal).then((r) => r.schedules);

// Runs started elsewhere (cron, Airflow, the CLI) must show within seconds; there is no push channel
// for the list, so it refreshes every 3 s while the page is open.
export const schedulesQueryOptions = () =>
  queryOptions({
    queryKey: ['schedules'],
    queryFn: ({ signal }) => getSchedules(signal),
    refetchInterval: 3000,
  });

export const useSchedules = () => useQuery(schedulesQueryOptions());
