import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

/** POST /deployments: the branch tip, or `commit` when given. */
export const startDeployment = (commit?: string) =>
  answer(api.POST('/api/v1/deployments', { body: commit ? { commit } : {} }));

export function useStartDeployment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (commit?: string) => startDeployment(commit),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['deployments'] }),
  });
}
