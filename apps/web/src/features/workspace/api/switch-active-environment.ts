import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPut } from '../../../lib/api-client';
import type { ActiveEnvironment } from '../../../lib/api-types';

export const switchActiveEnvironment = (environment: string | null) =>
  apiPut<ActiveEnvironment>('/project/active-environment', { environment });

export const useSwitchActiveEnvironment = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: switchActiveEnvironment,
    // Every screen reads through the active environment (settings, state IDs, runs): refresh them all.
    onSuccess: () => client.invalidateQueries(),
  });
};
