import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getPromotion = (branch: string, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/deployments/compare', { params: { query: { branch } }, signal }));

export const promotionQueryOptions = (branch: string) =>
  queryOptions({
    queryKey: ['deployments', 'compare', branch],
    queryFn: ({ signal }) => getPromotion(branch, signal),
    // Each look fetches from the remote: only when asked (Refresh), not on focus.
    staleTime: 60_000,
    refetchOnWindowFocus: false,
  });

export const usePromotion = (branch: string | null) =>
  useQuery({ ...promotionQueryOptions(branch ?? ''), enabled: branch !== null && branch !== '' });
