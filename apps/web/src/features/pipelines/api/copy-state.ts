import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { invalidateState } from './state-edit';

/** `meltano state copy FROM THIS`: this state ID gets the other one's state. */
export const copyState = (stateId: string, from: string) =>
  answer(
    api.POST('/api/v1/state/{state_id}/copy', { params: { path: { state_id: stateId } }, body: { from } }),
  );

export const useCopyState = (stateId: string) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (from: string) => copyState(stateId, from),
    onSettled: () => invalidateState(client, stateId),
  });
};
