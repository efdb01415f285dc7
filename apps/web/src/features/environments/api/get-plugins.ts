import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

/** The project's plugins by type: what an environment can hold an override for. */
export const getPlugins = (signal?: AbortSignal) => answer(api.GET('/api/v1/plugins', { signal }));

export const pluginsQueryOptions = () =>
  queryOptions({ queryKey: ['plugins', 'for-environments'], queryFn: ({ signal }) => getPlugins(signal) });

export const usePlugins = () => useQuery(pluginsQueryOptions());
