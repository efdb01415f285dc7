import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../lib/api-client';

/** How this UI started the run, or null when it was started elsewhere (CLI, cron, orchestrator). */
export const getRunLaunch = (id: number, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/runs/{id}/launch', { params: { path: { id } }, signal })).then((r) => r.launch);

export const runLaunchQueryOptions = (id: number, live: boolean) =>
  queryOptions({
    queryKey: ['runs', id, 'launch'],
    queryFn: ({ signal }) => getRunLaunch(id, signal),
    // Until the process has exited too: Meltano records the end of a run before its process is gone.
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return live || status === 'starting' || status === 'running' ? 2000 : false;
    },
  });

export const useRunLaunch = (id: number, live: boolean) => useQuery(runLaunchQueryOptions(id, live));
