import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { NOTIFICATIONS_KEY } from './keys';

/** What a rule's `pipelines` may name: every schedule and every job, sorted, each once. */
export async function getPipelineNames(signal?: AbortSignal): Promise<string[]> {
  const [schedules, jobs] = await Promise.all([
    answer(api.GET('/api/v1/schedules', { signal })),
    answer(api.GET('/api/v1/jobs', { signal })),
  ]);
  const names = new Set([...schedules.schedules.map((s) => s.name), ...jobs.jobs.map((j) => j.name)]);
  return [...names].sort((a, b) => a.localeCompare(b));
}

export const pipelineNamesQueryOptions = () =>
  queryOptions({
    queryKey: [...NOTIFICATIONS_KEY, 'pipeline-names'],
    queryFn: ({ signal }) => getPipelineNames(signal),
    staleTime: 30_000,
  });

export const usePipelineNames = () => useQuery(pipelineNamesQueryOptions());
