import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getPlugins = (signal?: AbortSignal) =>
  answer(api.GET('/api/v1/plugins', { signal })).then((r) => r.plugins);

export const pluginsQueryOptions = () =>
  queryOptions({ queryKey: ['plugins'], queryFn: ({ signal }) => getPlugins(signal) });

export const usePlugins = () => useQuery(pluginsQueryOptions());
