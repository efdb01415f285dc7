import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getDeployment = (id: string, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/deployments/{id}', { params: { path: { id } }, signal }));

export const deploymentQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ['deployments', 'detail', id],
    queryFn: ({ signal }) => getDeployment(id, signal),
    // The log grows line by line while it runs; once ended it no longer changes.
    refetchInterval: (query) =>
      query.state.data?.status === 'queued' || query.state.data?.status === 'running' ? 1000 : false,
  });

export const useDeployment = (id: string) => useQuery(deploymentQueryOptions(id));
