import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { NOTIFICATIONS_KEY } from './keys';

export const getRules = (signal?: AbortSignal) =>
  answer(api.GET('/api/v1/notifications/rules', { signal })).then((r) => r.rules);

export const rulesQueryOptions = () =>
  queryOptions({ queryKey: [...NOTIFICATIONS_KEY, 'rules'], queryFn: ({ signal }) => getRules(signal) });

export const useRules = () => useQuery(rulesQueryOptions());
