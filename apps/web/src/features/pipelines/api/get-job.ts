import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { Job } from '../../../lib/api-types';

export const getJob = (name: string, signal?: AbortSignal) =>
  apiGet<Job>(`/jobs/${encodeURIComponent(name)}`, signal);

// Re-read every few seconds: the detail page stays current, and an editor shows a change made on disk
// before Save rather than after.
export const jobQueryOptions = (name: string) =>
  queryOptions({
    queryKey: ['jobs', name],
    queryFn: ({ signal }) => getJob(name, signal),
    refetchInterval: 3000,
  });

export const useJob = (name: string) => useQuery(jobQueryOptions(name));
