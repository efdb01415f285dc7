import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { Run } from '../../../lib/api-types';

export const getRun = (id: number, signal?: AbortSignal) => apiGet<Run>(`/runs/${id}`, signal);

const isLive = (run: Run | undefined) => run?.status === 'running' || run?.status === 'stale';

/**
 * One run. While it runs and no live stream pushes its changes (`streaming` false), it is polled,
 * so its status and end appear without a reload.
 */
export const runQueryOptions = (id: number, streaming = false) =>
  queryOptions({
    queryKey: ['runs', id],
    queryFn: ({ signal }) => getRun(id, signal),
    refetchInterval: (query) => (!streaming && isLive(query.state.data) ? 5000 : false),
  });

export const useRun = (id: number, streaming = false) => useQuery(runQueryOptions(id, streaming));
