import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../lib/api-client';
import type { Launch } from '../../lib/api-types';

export const cancelRun = (id: number) => apiPost<Launch>(`/runs/${id}/cancel`);

export const useCancelRun = (id: number) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => cancelRun(id),
    onSettled: () => void client.invalidateQueries({ queryKey: ['runs', id] }),
  });
};
