import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { EnvironmentCreate } from '../../../lib/api-types';
import { refreshAfterEnvironmentWrite } from './refresh';

export const createEnvironment = (body: EnvironmentCreate) =>
  answer(api.POST('/api/v1/environments', { body }));

export const useCreateEnvironment = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: createEnvironment,
    onSuccess: () => refreshAfterEnvironmentWrite(client),
  });
};
