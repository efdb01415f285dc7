import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../lib/api-client';

export const getProject = (signal?: AbortSignal) => answer(api.GET('/api/v1/project', { signal }));

export const projectQueryOptions = () =>
  queryOptions({ queryKey: ['project'], queryFn: ({ signal }) => getProject(signal), refetchInterval: 5000 });

export const useProject = () => useQuery(projectQueryOptions());
