import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import type { DeployAccepted } from '../../../lib/api-types';

/** POST /deployments: the branch tip, or `commit` when given. */
export const startDeployment = (commit?: string) =>
  apiPost<DeployAccepted>('/deployments', commit ? { commit } : {});

export function useStartDeployment() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (commit?: string) => startDeployment(commit),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['deployments'] }),
  });
}
