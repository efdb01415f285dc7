import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { Plugin } from '../../../lib/api-types';

/** The project's plugins by type: what an environment can hold an override for. */
export const getPlugins = (signal?: AbortSignal) =>
  apiGet<{ plugins: Record<string, Plugin[]> }>('/plugins', signal);

export const pluginsQueryOptions = () =>
  queryOptions({ queryKey: ['plugins', 'for-environments'], queryFn: ({ signal }) => getPlugins(signal) });

export const usePlugins = () => useQuery(pluginsQueryOptions());
