import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { Run } from '../../../lib/api-types';

// Typed as Run, not the detail (which adds cancel_request): the live stream's `run` events, plain
// Runs, replace this cache entry (log-viewer), so only Run's fields can be relied on here.
export const getRun = (id: number, signal?: AbortSignal): Promise<Run> =>
  answer(api.GET('/api/v1/runs/{id}', { params: { path: { id } }, signal }));

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
