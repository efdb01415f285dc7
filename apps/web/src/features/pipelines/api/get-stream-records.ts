import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

/** Records per stream of the newest runs of some state IDs, for the records chart. */
export const getStreamRecords = (stateIds: string[], limit: number, signal?: AbortSignal) =>
  answer(
    api.GET('/api/v1/runs/records-by-stream', { params: { query: { state_id: stateIds, limit } }, signal }),
  );

// Every 10 s: runs whose logs the background reader has not read yet fill in on their own.
export const streamRecordsQueryOptions = (stateIds: string[], limit = 30) =>
  queryOptions({
    queryKey: ['runs', 'records-by-stream', stateIds, limit],
    queryFn: ({ signal }) => getStreamRecords(stateIds, limit, signal),
    enabled: stateIds.length > 0,
    refetchInterval: 10_000,
  });

export const useStreamRecords = (stateIds: string[], limit?: number) =>
  useQuery(streamRecordsQueryOptions(stateIds, limit));
