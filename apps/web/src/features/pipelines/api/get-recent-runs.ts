import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

/** The newest runs of some state IDs, for the duration chart. */
export const getRecentRuns = (stateIds: string[], limit: number, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/runs', { params: { query: { state_id: stateIds, limit } }, signal })).then(
    (p) => p.items,
  );

export const recentRunsQueryOptions = (stateIds: string[], limit = 60) =>
  queryOptions({
    queryKey: ['runs', 'recent', stateIds, limit],
    queryFn: ({ signal }) => getRecentRuns(stateIds, limit, signal),
    enabled: stateIds.length > 0,
    refetchInterval: 5000,
  });

export const useRecentRuns = (stateIds: string[], limit?: number) =>
  useQuery(recentRunsQueryOptions(stateIds, limit));
