import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { ChannelCreate } from '../../../lib/api-types';
import { refreshNotifications } from './keys';

export const createChannel = (body: ChannelCreate) =>
  answer(api.POST('/api/v1/notifications/channels', { body }));

export const useCreateChannel = () => {
  const client = useQueryClient();
  return useMutation({ mutationFn: createChannel, onSuccess: () => refreshNotifications(client) });
};
