import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import type { EnvironmentCreate, EnvironmentWritten } from '../../../lib/api-types';
import { refreshAfterEnvironmentWrite } from './refresh';

export const createEnvironment = (body: EnvironmentCreate) =>
  apiPost<EnvironmentWritten>('/environments', body);

export const useCreateEnvironment = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: createEnvironment,
    onSuccess: () => refreshAfterEnvironmentWrite(client),
  });
};
