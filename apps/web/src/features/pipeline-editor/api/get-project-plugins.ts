import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

/** The project's plugins by type (`extractors`, `loaders`, …): what schedules and tasks can name. */
export const getProjectPlugins = (signal?: AbortSignal) =>
  answer(api.GET('/api/v1/plugins', { signal })).then((r) => r.plugins);

export const projectPluginsQueryOptions = () =>
  queryOptions({
    queryKey: ['plugins', 'by-type'],
    queryFn: ({ signal }) => getProjectPlugins(signal),
    staleTime: 30_000,
  });

export const useProjectPlugins = () => useQuery(projectPluginsQueryOptions());
