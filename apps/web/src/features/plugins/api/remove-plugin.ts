import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { pluginsQueryOptions } from './get-plugins';

export interface RemovePluginInput {
  type: string;
  name: string;
  /** Remove it although schedules, jobs or plugins name it (the server answers 409 otherwise). */
  force: boolean;
}

export const removePlugin = ({ type, name, force }: RemovePluginInput) =>
  answer(
    api.DELETE('/api/v1/plugins/{type}/{name}', {
      params: { path: { type, name }, query: { force: force || undefined } },
    }),
  );

export function useRemovePlugin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: removePlugin,
    // The list only, not awaited: the removed plugin's own screen moves away rather than ask for it (404).
    onSuccess: () =>
      void queryClient.invalidateQueries({ queryKey: pluginsQueryOptions().queryKey, exact: true }),
  });
}
