import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { invalidateState, type StateText, stateBody } from './state-edit';

/** `meltano state merge`: merged onto the partial state; the completed state is kept. */
export const mergeState = (stateId: string, input: StateText) =>
  answer(
    api.PATCH('/api/v1/state/{state_id}', {
      params: { path: { state_id: stateId } },
      body: { state: input.state },
      bodySerializer: () => stateBody(input),
    }),
  );

export const useMergeState = (stateId: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: StateText) => mergeState(stateId, input),
    onSettled: () => invalidateState(client, stateId),
  });
};
