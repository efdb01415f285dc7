import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../lib/api-client';

export const getStateIds = (signal?: AbortSignal) =>
  answer(api.GET('/api/v1/state', { signal })).then((r) => r.state_ids);

export const stateIdsQueryOptions = () =>
  queryOptions({
    queryKey: ['state-ids'],
    queryFn: ({ signal }) => getStateIds(signal),
    refetchInterval: 5000,
  });

export const useStateIds = () => useQuery(stateIdsQueryOptions());
