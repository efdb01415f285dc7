import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import { NOTIFICATIONS_KEY } from './keys';

export const DELIVERIES_SHOWN = 50;

export const getDeliveries = (signal?: AbortSignal) =>
  answer(
    api.GET('/api/v1/notifications/deliveries', { params: { query: { limit: DELIVERIES_SHOWN } }, signal }),
  );

// Retries and new events change the log without anyone on the page acting: it re-reads every 10 s.
export const deliveriesQueryOptions = () =>
  queryOptions({
    queryKey: [...NOTIFICATIONS_KEY, 'deliveries'],
    queryFn: ({ signal }) => getDeliveries(signal),
    refetchInterval: 10_000,
  });

export const useDeliveries = () => useQuery(deliveriesQueryOptions());
