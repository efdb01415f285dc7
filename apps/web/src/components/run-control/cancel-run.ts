import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../lib/api-client';

export const cancelRun = (id: number) =>
  answer(api.POST('/api/v1/runs/{id}/cancel', { params: { path: { id } } }));

export const useCancelRun = (id: number) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => cancelRun(id),
    onSettled: () => void client.invalidateQueries({ queryKey: ['runs', id] }),
  });
};
