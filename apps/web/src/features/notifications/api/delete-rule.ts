import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { refreshNotifications } from './keys';

export const deleteRule = (id: string) =>
  answer(api.DELETE('/api/v1/notifications/rules/{id}', { params: { path: { id } } }));

export const useDeleteRule = () => {
  const client = useQueryClient();
  return useMutation({ mutationFn: deleteRule, onSuccess: () => refreshNotifications(client) });
};
