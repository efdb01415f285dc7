import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getSchedules = (signal?: AbortSignal) =>
  answer(api.GET('/api/v1/schedules', { signal })).then((r) => r.schedules);

// Runs started elsewhere (cron, Airflow, the CLI) must show within seconds; there is no push channel
// for the list, so it refreshes every 3 s while the page is open.
export const schedulesQueryOptions = () =>
  queryOptions({
    queryKey: ['schedules'],
    queryFn: ({ signal }) => getSchedules(signal),
    refetchInterval: 3000,
  });

export const useSchedules = () => useQuery(schedulesQueryOptions());
