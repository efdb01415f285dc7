import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getPluginSettings = (
  type: string,
  name: string,
  environment: string | null,
  signal?: AbortSignal,
) =>
  answer(
    api.GET('/api/v1/plugins/{type}/{name}/settings', {
      params: { path: { type, name }, query: { environment: environment ?? undefined } },
      signal,
    }),
  );

export const pluginSettingsQueryOptions = (type: string, name: string, environment: string | null) =>
  queryOptions({
    queryKey: ['plugins', type, name, 'settings', environment],
    queryFn: ({ signal }) => getPluginSettings(type, name, environment, signal),
  });

export const usePluginSettings = (type: string, name: string, environment: string | null) =>
  useQuery(pluginSettingsQueryOptions(type, name, environment));
