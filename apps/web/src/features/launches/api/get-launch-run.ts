import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { Launch } from '../../../lib/api-types';

/** The runs row Meltano inserted for a launch (matched by the run ID the UI gave it), once it exists. */
export const getLaunchRun = (launch: Launch, signal?: AbortSignal) =>
  answer(
    api.GET('/api/v1/runs', { params: { query: { state_id: launch.state_ids, limit: 20 } }, signal }),
  ).then((page) => page.items.find((r) => r.run_id === launch.run_id) ?? null);

export const launchRunQueryOptions = (launch: Launch | undefined) =>
  queryOptions({
    queryKey: ['launches', launch?.id, 'run'],
    queryFn: ({ signal }) => (launch ? getLaunchRun(launch, signal) : null),
    enabled: launch !== undefined && launch.state_ids.length > 0,
    refetchInterval: (query) => (query.state.data ? false : 500),
  });

export const useLaunchRun = (launch: Launch | undefined) => useQuery(launchRunQueryOptions(launch));
