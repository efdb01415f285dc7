import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet, queryString } from '../../../lib/api-client';
import type { CatalogDefinition } from '../../../lib/api-types';

export const getCatalogDefinition = (
  type: string,
  name: string,
  variant: string | null,
  signal?: AbortSignal,
) =>
  apiGet<CatalogDefinition>(
    `/plugins/catalog/${encodeURIComponent(type)}/${encodeURIComponent(name)}${queryString({ variant })}`,
    signal,
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
