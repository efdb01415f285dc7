import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getDeployments = (signal?: AbortSignal) =>
  answer(api.GET('/api/v1/deployments', { params: { query: { limit: 100 } }, signal }));

export const deploymentsQueryOptions = () =>
  queryOptions({
    queryKey: ['deployments', 'list'],
    queryFn: ({ signal }) => getDeployments(signal),
    // A webhook may queue one at any moment: look every few seconds, every second while one runs.
    refetchInterval: (query) =>
      query.state.data?.deployments.some((d) => d.status === 'queued' || d.status === 'running')
        ? 1000
        : 5000,
  });

export const useDeployments = () => useQuery(deploymentsQueryOptions());
