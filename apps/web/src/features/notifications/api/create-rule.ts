import { useMutation, useQueryClient } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { RuleCreate } from '../../../lib/api-types';
import { refreshNotifications } from './keys';

export const createRule = (body: RuleCreate) => answer(api.POST('/api/v1/notifications/rules', { body }));

export const useCreateRule = () => {
  const client = useQueryClient();
  return useMutation({ mutationFn: createRule, onSuccess: () => refreshNotifications(client) });
};
