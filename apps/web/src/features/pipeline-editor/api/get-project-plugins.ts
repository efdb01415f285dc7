import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { Plugin } from '../../../lib/api-types';

/** The project's plugins by type (`extractors`, `loaders`, …): what schedules and tasks can name. */
export const getProjectPlugins = (signal?: AbortSignal) =>
  apiGet<{ plugins: Record<string, Plugin[]> }>('/plugins', signal).then((r) => r.plugins);

export const projectPluginsQueryOptions = () =>
  queryOptions({
    queryKey: ['plugins', 'by-type'],
    queryFn: ({ signal }) => getProjectPlugins(signal),
    staleTime: 30_000,
  });

export const useProjectPlugins = () => useQuery(projectPluginsQueryOptions());
