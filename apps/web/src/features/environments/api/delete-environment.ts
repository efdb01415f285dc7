import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api, ifMatch } from '../../../lib/api-client';
import { refreshAfterEnvironmentWrite } from './refresh';

export const deleteEnvironment = ({ name, version }: { name: string; version: string }) =>
  answer(api.DELETE('/api/v1/environments/{name}', { params: { path: { name }, header: ifMatch(version) } }));

export const useDeleteEnvironment = () => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: deleteEnvironment,
    onSuccess: () => refreshAfterEnvironmentWrite(client),
  });
};
