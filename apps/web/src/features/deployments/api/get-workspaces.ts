import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';

export const getWorkspaces = (signal?: AbortSignal) => answer(api.GET('/api/v1/workspaces', { signal }));

export const workspacesQueryOptions = () =>
  queryOptions({
    queryKey: ['workspaces'],
    queryFn: ({ signal }) => getWorkspaces(signal),
    // ui.workspaces is read at boot: it changes with a restart only.
    staleTime: 5 * 60_000,
  });

export const useWorkspaces = () => useQuery(workspacesQueryOptions());
