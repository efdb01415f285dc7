import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { Plugin } from '../../../lib/api-types';

export const getPlugins = (signal?: AbortSignal) =>
  apiGet<{ plugins: Record<string, Plugin[]> }>('/plugins', signal).then((r) => r.plugins);

export const pluginsQueryOptions = () =>
  queryOptions({ queryKey: ['plugins'], queryFn: ({ signal }) => getPlugins(signal) });

export const usePlugins = () => useQuery(pluginsQueryOptions());
