import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { refreshNotifications } from './keys';

/** Removes the channel and, on the server, its rules. */
export const deleteChannel = (id: string) =>
  answer(api.DELETE('/api/v1/notifications/channels/{id}', { params: { path: { id } } }));

export const useDeleteChannel = () => {
  const client = useQueryClient();
  return useMutation({ mutationFn: deleteChannel, onSuccess: () => refreshNotifications(client) });
};
