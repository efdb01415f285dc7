import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { Schedule } from '../../../lib/api-types';

export const getSchedule = (name: string, signal?: AbortSignal) =>
  apiGet<Schedule>(`/schedules/${encodeURIComponent(name)}`, signal);

// Re-read while the form is open, so a change made on disk meanwhile shows before Save, not after.
export const scheduleQueryOptions = (name: string) =>
  queryOptions({
    queryKey: ['schedules', name],
    queryFn: ({ signal }) => getSchedule(name, signal),
    refetchInterval: 5000,
  });

export const useSchedule = (name: string) => useQuery(scheduleQueryOptions(name));
