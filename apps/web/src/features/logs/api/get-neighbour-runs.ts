import { queryOptions, useQuery } from '@tanstack/react-query';
import { answer, api } from '../../../lib/api-client';
import type { Run } from '../../../lib/api-types';

// The list is newest first: the next run is the last of the newer ones, so a few pages may be read.
const PAGE = 200;
const MAX_PAGES = 10;

/** The runs just before and after `run` with the same state ID (null when there is none). */
export async function getNeighbourRuns(run: Run, signal?: AbortSignal) {
  if (run.started_at === null) return { previous: null, next: null };
  const base = { state_id: [run.state_id] };
  const older = await answer(
    api.GET('/api/v1/runs', { params: { query: { ...base, until: run.started_at, limit: 1 } }, signal }),
  );
  let next: Run | null = null;
  let cursor: string | null = null;
  for (let page = 0; page < MAX_PAGES; page += 1) {
    const newer: { items: Run[]; next_cursor: string | null } = await answer(
      api.GET('/api/v1/runs', {
        params: { query: { ...base, since: run.started_at, limit: PAGE, ...(cursor ? { cursor } : {}) } },
        signal,
      }),
    );
    next = newer.items.filter((r) => r.id !== run.id).at(-1) ?? next;
    cursor = newer.next_cursor;
    if (cursor === null) break;
  }
  return { previous: older.items.find((r) => r.id !== run.id) ?? null, next };
}

export const neighbourRunsQueryOptions = (run: Run) =>
  queryOptions({
    queryKey: ['runs', run.id, 'neighbours', run.state_id, run.started_at],
    queryFn: ({ signal }) => getNeighbourRuns(run, signal),
    // A newer run may start while the page is open.
    refetchInterval: 15_000,
  });

export const useNeighbourRuns = (run: Run) => useQuery(neighbourRunsQueryOptions(run));
