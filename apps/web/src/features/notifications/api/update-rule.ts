import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { RulePatch } from '../../../lib/api-types';
import { refreshNotifications } from './keys';

export const updateRule = ({ id, patch }: { id: string; patch: RulePatch }) =>
  answer(api.PATCH('/api/v1/notifications/rules/{id}', { params: { path: { id } }, body: patch }));

export const useUpdateRule = () => {
  const client = useQueryClient();
  return useMutation({ mutationFn: updateRule, onSuccess: () => refreshNotifications(client) });
};
