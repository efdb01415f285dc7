import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { ChannelPatch } from '../../../lib/api-types';
import { refreshNotifications } from './keys';

export const updateChannel = ({ id, patch }: { id: string; patch: ChannelPatch }) =>
  answer(api.PATCH('/api/v1/notifications/channels/{id}', { params: { path: { id } }, body: patch }));

export const useUpdateChannel = () => {
  const client = useQueryClient();
  return useMutation({ mutationFn: updateChannel, onSuccess: () => refreshNotifications(client) });
};
