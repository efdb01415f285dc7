import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { DeploymentList } from '../../../lib/api-types';

export const getDeployments = (signal?: AbortSignal) =>
  apiGet<DeploymentList>('/deployments?limit=100', signal);

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
