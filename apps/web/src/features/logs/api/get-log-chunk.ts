import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api, apiUrl } from '../../../lib/api-client';
import type { LogChunkQuery } from '../../../lib/log-api-types';

/** One part of a run's log; see GET /runs/{id}/log for the ways to ask. */
export const getLogChunk = (id: number, query: LogChunkQuery, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/runs/{id}/log', { params: { path: { id }, query }, signal }));

// A chunk of a growing file is only true when fetched; pages are many and large, so none is kept.
export const logChunkQueryOptions = (id: number, query: LogChunkQuery) =>
  queryOptions({
    queryKey: ['runs', id, 'log', query],
    queryFn: ({ signal }) => getLogChunk(id, query, signal),
    staleTime: 0,
    gcTime: 0,
    retry: false,
  });

export const useLogChunk = (id: number, query: LogChunkQuery) => useQuery(logChunkQueryOptions(id, query));

/** Where the whole file downloads from (a plain link: the browser streams it to disk). */
export const logDownloadUrl = (id: number) => apiUrl('/api/v1/runs/{id}/log/download', { id });
