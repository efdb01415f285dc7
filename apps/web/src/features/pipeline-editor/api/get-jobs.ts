import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

/** The project's jobs, for the job a schedule runs. */
export const getJobs = (signal?: AbortSignal) =>
  answer(api.GET('/api/v1/jobs', { signal })).then((r) => r.jobs);

export const jobsQueryOptions = () =>
  queryOptions({ queryKey: ['jobs'], queryFn: ({ signal }) => getJobs(signal) });

export const useJobs = () => useQuery(jobsQueryOptions());
