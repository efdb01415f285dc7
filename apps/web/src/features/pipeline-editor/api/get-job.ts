import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { Job } from '../../../lib/api-types';

export const getJob = (name: string, signal?: AbortSignal) =>
  apiGet<Job>(`/jobs/${encodeURIComponent(name)}`, signal);

// Re-read while the form is open, so a change made on disk meanwhile shows before Save, not after.
export const jobQueryOptions = (name: string) =>
  queryOptions({
    queryKey: ['jobs', name],
    queryFn: ({ signal }) => getJob(name, signal),
    refetchInterval: 5000,
  });

export const useJob = (name: string) => useQuery(jobQueryOptions(name));
