import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { Job } from '../../../lib/api-types';

export const getJobs = (signal?: AbortSignal) => apiGet<{ jobs: Job[] }>('/jobs', signal).then((r) => r.jobs);

export const jobsQueryOptions = () =>
  queryOptions({ queryKey: ['jobs'], queryFn: ({ signal }) => getJobs(signal), refetchInterval: 5000 });

export const useJobs = () => useQuery(jobsQueryOptions());
