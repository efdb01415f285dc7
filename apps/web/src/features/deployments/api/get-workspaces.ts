import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { WorkspaceList } from '../../../lib/api-types';

export const getWorkspaces = (signal?: AbortSignal) => apiGet<WorkspaceList>('/workspaces', signal);

export const workspacesQueryOptions = () =>
  queryOptions({
    queryKey: ['workspaces'],
    queryFn: ({ signal }) => getWorkspaces(signal),
    // ui.workspaces is read at boot: it changes with a restart only.
    staleTime: 5 * 60_000,
  });

export const useWorkspaces = () => useQuery(workspacesQueryOptions());
