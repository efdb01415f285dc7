import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getJobs = (signal?: AbortSignal) =>
  answer(api.GET('/api/v1/jobs', { signal })).then((r) => r.jobs);

export const jobsQueryOptions = () =>
  queryOptions({ queryKey: ['jobs'], queryFn: ({ signal }) => getJobs(signal), refetchInterval: 5000 });

export const useJobs = () => useQuery(jobsQueryOptions());
