import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { invalidateState, type StateText, stateBody } from './state-edit';

/** `meltano state set`: the state replaced (as the completed state), the partial state emptied. */
export const setState = (stateId: string, input: StateText) =>
  answer(
    api.PUT('/api/v1/state/{state_id}', {
      params: { path: { state_id: stateId } },
      body: { state: input.state },
      bodySerializer: () => stateBody(input),
    }),
  );

export const useSetState = (stateId: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: StateText) => setState(stateId, input),
    onSettled: () => invalidateState(client, stateId),
  });
};
