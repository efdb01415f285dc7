import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { PluginCatalog } from '../../../lib/api-types';

export const getPluginCatalog = (signal?: AbortSignal) => apiGet<PluginCatalog>('/plugins/catalog', signal);

// The server caches Meltano Hub's index; a few minutes here keeps tab switches instant.
export const pluginCatalogQueryOptions = () =>
  queryOptions({
    queryKey: ['plugin-catalog'],
    queryFn: ({ signal }) => getPluginCatalog(signal),
    staleTime: 5 * 60_000,
  });

export const usePluginCatalog = () => useQuery(pluginCatalogQueryOptions());
