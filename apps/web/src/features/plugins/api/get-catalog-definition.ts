import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getCatalogDefinition = (
  type: string,
  name: string,
  variant: string | null,
  signal?: AbortSignal,
) =>
  answer(
    api.GET('/api/v1/plugins/catalog/{type}/{name}', {
      params: { path: { type, name }, query: { variant: variant ?? undefined } },
      signal,
    }),
  );

export const catalogDefinitionQueryOptions = (type: string, name: string, variant: string | null) =>
  queryOptions({
    queryKey: ['plugin-catalog', type, name, variant],
    queryFn: ({ signal }) => getCatalogDefinition(type, name, variant, signal),
    enabled: name !== '',
    staleTime: 5 * 60_000,
  });

export const useCatalogDefinition = (type: string, name: string, variant: string | null) =>
  useQuery(catalogDefinitionQueryOptions(type, name, variant));
