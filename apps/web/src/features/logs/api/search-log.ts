import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { LogSearchQuery } from '../../../lib/log-api-types';

/** One bounded step of a server-side search; `resume_from` in the result continues it. */
export const searchLog = (id: number, query: LogSearchQuery, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/runs/{id}/log/search', { params: { path: { id }, query }, signal }));

export const logSearchQueryOptions = (id: number, query: LogSearchQuery) =>
  queryOptions({
    queryKey: ['runs', id, 'log-search', query],
    queryFn: ({ signal }) => searchLog(id, query, signal),
    // A finished log does not change; a live one may gain matches, which a new search finds.
    staleTime: 10_000,
    retry: false,
  });

/** One search step as a query: how the page learns, up front, where the first error is. */
export const useLogSearch = (id: number, query: LogSearchQuery, enabled = true) =>
  useQuery({ ...logSearchQueryOptions(id, query), enabled });
