import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { NOTIFICATIONS_KEY } from './keys';

export const getChannels = (signal?: AbortSignal) =>
  answer(api.GET('/api/v1/notifications/channels', { signal })).then((r) => r.channels);

export const channelsQueryOptions = () =>
  queryOptions({
    queryKey: [...NOTIFICATIONS_KEY, 'channels'],
    queryFn: ({ signal }) => getChannels(signal),
  });

export const useChannels = () => useQuery(channelsQueryOptions());
