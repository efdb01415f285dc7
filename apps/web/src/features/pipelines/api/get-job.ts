import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getJob = (name: string, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/jobs/{name}', { params: { path: { name } }, signal }));

// Re-read every few seconds: the detail page stays current, and an editor shows a change made on disk
// before Save rather than after.
export const jobQueryOptions = (name: string) =>
  queryOptions({
    queryKey: ['jobs', name],
    queryFn: ({ signal }) => getJob(name, signal),
    refetchInterval: 3000,
  });

export const useJob = (name: string) => useQuery(jobQueryOptions(name));
