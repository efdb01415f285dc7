import { queryOptions, useQuery } from '@tanstack/react-query';
import { apiGet } from '../../../lib/api-client';
import type { Job, Schedule } from '../../../lib/api-types';

export interface RunOwner {
  kind: 'schedule' | 'job';
  name: string;
}

/** The schedules and jobs whose runs record this state ID (several may share one). */
export async function getRunOwners(stateId: string, signal?: AbortSignal): Promise<RunOwner[]> {
  const [schedules, jobs] = await Promise.all([
    apiGet<{ schedules: Schedule[] }>('/schedules', signal),
    apiGet<{ jobs: Job[] }>('/jobs', signal),
  ]);
  return [
    ...schedules.schedules
      .filter((s) => s.state_ids.includes(stateId))
      .map((s) => ({ kind: 'schedule' as const, name: s.name })),
    ...jobs.jobs
      .filter((j) => j.state_ids.includes(stateId))
      .map((j) => ({ kind: 'job' as const, name: j.name })),
  ];
}

export const runOwnersQueryOptions = (stateId: string) =>
  queryOptions({
    queryKey: ['run-owners', stateId],
    queryFn: ({ signal }) => getRunOwners(stateId, signal),
    staleTime: 60_000,
  });

export const useRunOwners = (stateId: string) => useQuery(runOwnersQueryOptions(stateId));
