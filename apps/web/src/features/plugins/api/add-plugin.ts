import { useMutation, useQueryClient } from '@tanstack/react-query';
import { apiPost } from '../../../lib/api-client';
import type { PluginAdd, PluginWritten } from '../../../lib/api-types';
import { pluginsQueryOptions } from './get-plugins';

export const addPlugin = (body: PluginAdd) => apiPost<PluginWritten>('/plugins', body);

export function useAddPlugin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: addPlugin,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: pluginsQueryOptions().queryKey }),
  });
}
