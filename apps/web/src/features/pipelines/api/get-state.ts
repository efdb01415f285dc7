import { queryOptions, useQuery } from '@tanstack/react-query';
import { ApiError, answer, api } from '../../../lib/api-client';

/** The Singer state stored for a state ID, or null when none is stored yet. */
export const getState = (stateId: string, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/state/{state_id}', { params: { path: { state_id: stateId } }, signal })).catch(
    (err: unknown) => {
      if (err instanceof ApiError && err.status === 404) return null;
      throw err;
    },
  );

export const stateQueryOptions = (stateId: string) =>
  queryOptions({ queryKey: ['state', stateId], queryFn: ({ signal }) => getState(stateId, signal) });

export const useStateDetail = (stateId: string) => useQuery(stateQueryOptions(stateId));
