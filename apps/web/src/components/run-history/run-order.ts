import type { Run } from '../../lib/api-types';
import { type SortState, urlSort } from '../../lib/url-sort';

/** What the run tables sort by; `newest` is the API's own order (id descending). */
export const RUN_SORT_KEYS = ['newest', 'started', 'duration', 'status', 'pipeline'] as const;
export type RunSortKey = (typeof RUN_SORT_KEYS)[number];
export type RunSort = SortState<RunSortKey>;

const FIRST_DIR: Record<RunSortKey, RunSort['dir']> = {
  newest: 'desc',
  started: 'desc',
  duration: 'desc',
  status: 'asc',
  pipeline: 'asc',
};

const runSort = urlSort(RUN_SORT_KEYS, { key: 'newest', dir: 'desc' }, FIRST_DIR);
/** `?sort=duration` ascending, `?sort=-duration` descending; anything else is newest first. */
export const parseRunSort = runSort.parse;
export const formatRunSort = runSort.format;
export const toggleRunSort = runSort.toggle;

/** Seconds a run took, or has been running for. */
export function runSeconds(run: Pick<Run, 'duration_seconds' | 'started_at'>, now: number): number | null {
  if (run.duration_seconds !== null) return run.duration_seconds;
  return run.started_at ? Math.max(0, (now - Date.parse(run.started_at)) / 1000) : null;
}

const STATUS_RANK: Record<Run['status'], number> = { failed: 0, stale: 1, running: 2, success: 3 };

/**
 * A sorted copy of the loaded runs. Missing values (never started, no pipeline) go last either way;
 * ties keep newest first.
 */
export function sortRuns(
  runs: readonly Run[],
  sort: RunSort,
  now: number,
  pipelineOf: (run: Run) => string | null = () => null,
): Run[] {
  if (sort.key === 'newest') return [...runs];
  const flip = sort.dir === 'desc' ? -1 : 1;
  const value = (run: Run): number | string | null => {
    switch (sort.key) {
      case 'started':
        return run.started_at ? Date.parse(run.started_at) : null;
      case 'duration':
        return runSeconds(run, now);
      case 'status':
        return STATUS_RANK[run.status];
      case 'pipeline':
        return pipelineOf(run);
      default:
        return run.id;
    }
  };
  return [...runs].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    if (va === null || vb === null) return va === vb ? b.id - a.id : va === null ? 1 : -1;
    const order = typeof va === 'string' ? va.localeCompare(String(vb)) : va - (vb as number);
    return flip * order || b.id - a.id;
  });
}
