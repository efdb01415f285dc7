import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../lib/api-client';
import type { Project } from '../lib/api-types';

export const getProject = (signal?: AbortSignal) => apiGet<Project>('/project', signal);

export const projectQueryOptions = () =>
  queryOptions({ queryKey: ['project'], queryFn: ({ signal }) => getProject(signal), refetchInterval: 5000 });

export const useProject = () => useQuery(projectQueryOptions());
