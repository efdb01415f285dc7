import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { Schedule } from '../../../lib/api-types';

export const getSchedule = (name: string, signal?: AbortSignal) =>
  apiGet<Schedule>(`/schedules/${encodeURIComponent(name)}`, signal);

// Re-read every few seconds: the detail page stays current, and an editor shows a change made on disk
// before Save rather than after.
export const scheduleQueryOptions = (name: string) =>
  queryOptions({
    queryKey: ['schedules', name],
    queryFn: ({ signal }) => getSchedule(name, signal),
    refetchInterval: 3000,
  });

export const useSchedule = (name: string) => useQuery(scheduleQueryOptions(name));
