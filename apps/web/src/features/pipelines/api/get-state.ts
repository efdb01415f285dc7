import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, apiGet } from '../../../lib/api-client';
import type { StateDetail } from '../../../lib/api-types';

/** The Singer state stored for a state ID, or null when none is stored yet. */
export const getState = (stateId: string, signal?: AbortSignal) =>
  apiGet<StateDetail>(`/state/${encodeURIComponent(stateId)}`, signal).catch((err: unknown) => {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  });

export const stateQueryOptions = (stateId: string) =>
  queryOptions({ queryKey: ['state', stateId], queryFn: ({ signal }) => getState(stateId, signal) });

export const useStateDetail = (stateId: string) => useQuery(stateQueryOptions(stateId));
