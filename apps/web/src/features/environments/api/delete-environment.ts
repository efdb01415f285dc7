import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiDelete } from '../../../lib/api-client';
import type { EnvironmentWritten } from '../../../lib/api-types';
import { refreshAfterEnvironmentWrite } from './refresh';

export const deleteEnvironment = ({ name, version }: { name: string; version: string }) =>
  apiDelete<EnvironmentWritten>(`/environments/${encodeURIComponent(name)}`, { ifMatch: version });

export const useDeleteEnvironment = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: deleteEnvironment,
    onSuccess: () => refreshAfterEnvironmentWrite(client),
  });
};
