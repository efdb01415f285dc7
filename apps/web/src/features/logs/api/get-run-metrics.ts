import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getRunMetrics = (id: number, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/runs/{id}/metrics', { params: { path: { id } }, signal }));

/** What a run moved, from its log's Singer metrics; asked again every 5 s until the figures are final. */
export const runMetricsQueryOptions = (id: number) =>
  queryOptions({
    queryKey: ['runs', id, 'metrics'],
    queryFn: ({ signal }) => getRunMetrics(id, signal),
    refetchInterval: (query) => (query.state.data?.complete === false ? 5000 : false),
  });

export const useRunMetrics = (id: number) => useQuery(runMetricsQueryOptions(id));
