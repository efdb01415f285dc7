import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../lib/api-client';

/**
 * How this UI started the run (null when it was started elsewhere: CLI, cron, orchestrator), and the
 * retries started from it.
 */
export const getRunLaunch = (id: number, signal?: AbortSignal) =>
  answer(api.GET('/api/v1/runs/{id}/launch', { params: { path: { id } }, signal }));

export const runLaunchQueryOptions = (id: number, live: boolean) =>
  queryOptions({
    queryKey: ['runs', id, 'launch'],
    queryFn: ({ signal }) => getRunLaunch(id, signal),
    // Until the process has exited too: Meltano records the end of a run before its process is gone.
    refetchInterval: (query) => {
      const status = query.state.data?.launch?.status;
      // A retry whose run Meltano has not written yet shows up within a few seconds.
      if (query.state.data?.retries.some((r) => r.run_id === null)) return 2000;
      return live || status === 'starting' || status === 'running' ? 2000 : false;
    },
  });

export const useRunLaunch = (id: number, live: boolean) =>
  useQuery({ ...runLaunchQueryOptions(id, live), select: (r) => r.launch });

/** The launches that retried this run (same query as useRunLaunch). */
export const useRunRetries = (id: number, live: boolean) =>
  useQuery({ ...runLaunchQueryOptions(id, live), select: (r) => r.retries });
