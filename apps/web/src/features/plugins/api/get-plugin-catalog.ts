import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getPluginCatalog = (signal?: AbortSignal) =>
  answer(api.GET('/api/v1/plugins/catalog', { signal }));

// The server caches Meltano Hub's index; a few minutes here keeps tab switches instant.
export const pluginCatalogQueryOptions = () =>
  queryOptions({
    queryKey: ['plugin-catalog'],
    queryFn: ({ signal }) => getPluginCatalog(signal),
    staleTime: 5 * 60_000,
  });

export const usePluginCatalog = () => useQuery(pluginCatalogQueryOptions());
