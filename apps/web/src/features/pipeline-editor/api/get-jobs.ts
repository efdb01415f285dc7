import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { Job } from '../../../lib/api-types';

/** The project's jobs, for the job a schedule runs. */
export const getJobs = (signal?: AbortSignal) => apiGet<{ jobs: Job[] }>('/jobs', signal).then((r) => r.jobs);

export const jobsQueryOptions = () =>
  queryOptions({ queryKey: ['jobs'], queryFn: ({ signal }) => getJobs(signal) });

export const useJobs = () => useQuery(jobsQueryOptions());
