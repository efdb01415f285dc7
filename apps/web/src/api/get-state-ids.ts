import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client';
import type { StateIdSummary } from '../lib/api-types';

export const getStateIds = (signal?: AbortSignal) =>
  apiGet<{ state_ids: StateIdSummary[] }>('/state', signal).then((r) => r.state_ids);

export const stateIdsQueryOptions = () =>
  queryOptions({
    queryKey: ['state-ids'],
    queryFn: ({ signal }) => getStateIds(signal),
    refetchInterval: 5000,
  });

export const useStateIds = () => useQuery(stateIdsQueryOptions());
