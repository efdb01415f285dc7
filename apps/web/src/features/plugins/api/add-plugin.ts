import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { PluginAdd } from '../../../lib/api-types';
import { pluginsQueryOptions } from './get-plugins';

export const addPlugin = (body: PluginAdd) => answer(api.POST('/api/v1/plugins', { body }));

export function useAddPlugin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addPlugin,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: pluginsQueryOptions().queryKey }),
  });
}
