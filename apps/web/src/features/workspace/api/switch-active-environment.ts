import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const switchActiveEnvironment = (environment: string | null) =>
  answer(api.PUT('/api/v1/project/active-environment', { body: { environment } }));

export const useSwitchActiveEnvironment = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: switchActiveEnvironment,
    // Every screen reads through the active environment (settings, state IDs, runs): refresh them all.
    onSuccess: () => client.invalidateQueries(),
  });
};
