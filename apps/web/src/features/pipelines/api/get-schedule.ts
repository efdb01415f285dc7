import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getSchedule = (name: string, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/schedules/{name}', { params: { path: { name } }, signal }));

// Re-read every few seconds: the detail page stays current, and an editor shows a change made on disk
// before Save rather than after.
export const scheduleQueryOptions = (name: string) =>
  queryOptions({
    queryKey: ['schedules', name],
    queryFn: ({ signal }) => getSchedule(name, signal),
    refetchInterval: 3000,
  });

export const useSchedule = (name: string) => useQuery(scheduleQueryOptions(name));
