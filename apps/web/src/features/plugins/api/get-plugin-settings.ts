import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet, queryString } from '../../../lib/api-client';
import type { PluginSettings } from '../../../lib/api-types';

export const getPluginSettings = (
  type: string,
  name: string,
  environment: string | null,
  signal?: AbortSignal,
) =>
  apiGet<PluginSettings>(
    `/plugins/${encodeURIComponent(type)}/${encodeURIComponent(name)}/settings${queryString({ environment })}`,
    signal,
  );

export const pluginSettingsQueryOptions = (type: string, name: string, environment: string | null) =>
  queryOptions({
    queryKey: ['plugins', type, name, 'settings', environment],
    queryFn: ({ signal }) => getPluginSettings(type, name, environment, signal),
  });

export const usePluginSettings = (type: string, name: string, environment: string | null) =>
  useQuery(pluginSettingsQueryOptions(type, name, environment));
