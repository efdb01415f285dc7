import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { invalidateState } from './state-edit';

/** `meltano state clear`: the next run starts from scratch. */
export const clearState = (stateId: string) =>
  answer(api.DELETE('/api/v1/state/{state_id}', { params: { path: { state_id: stateId } } }));

export const useClearState = (stateId: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => clearState(stateId),
    onSettled: () => invalidateState(client, stateId),
  });
};
