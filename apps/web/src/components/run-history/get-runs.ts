import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { answer, api } from '../../lib/api-client';
import type { RunStatus } from '../../lib/api-types';

export interface RunFilters {
  state_id: string[];
  status: RunStatus[];
  trigger: string;
  since: string;
  until: string;
}

export const PAGE_SIZE = 50;

export const getRuns = (filters: RunFilters, cursor: string | null, signal?: AbortSignal) =>
  answer(
    api.GET('/api/v1/runs', {
      params: { query: { ...filters, cursor: cursor ?? undefined, limit: PAGE_SIZE } },
      signal,
    }),
  );

// Newest page refreshes every 5 s so runs started elsewhere appear; older pages are immutable enough.
export const runsQueryOptions = (filters: RunFilters) =>
  infiniteQueryOptions({
    queryKey: ['runs', filters],
    queryFn: ({ pageParam, signal }) => getRuns(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    refetchInterval: 5000,
  });

export const useRuns = (filters: RunFilters) => useInfiniteQuery(runsQueryOptions(filters));
