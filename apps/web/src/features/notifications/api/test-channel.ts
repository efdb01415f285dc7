import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { refreshNotifications } from './keys';

/** Sends a test message now; the answer is its delivery (delivered, or failed with the error). */
export const testChannel = (id: string) =>
  answer(api.POST('/api/v1/notifications/channels/{id}/test', { params: { path: { id } } }));

export const useTestChannel = () => {
  const client = useQueryClient();
  return useMutation({ mutationFn: testChannel, onSuccess: () => refreshNotifications(client) });
};
