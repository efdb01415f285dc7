import type { Run } from '../../lib/api-types';

/** What the run tables sort by; `newest` is the API's own order (id descending). */
export const RUN_SORT_KEYS = ['newest', 'started', 'duration', 'status', 'pipeline'] as const;
export type RunSortKey = (typeof RUN_SORT_KEYS)[number];
export interface RunSort {
  key: RunSortKey;
  dir: 'asc' | 'desc';
}

const FIRST_DIR: Record<RunSortKey, RunSort['dir']> = {
  newest: 'desc',
  started: 'desc',
  duration: 'desc',
  status: 'asc',
  pipeline: 'asc',
};

/** `?sort=duration` ascending, `?sort=-duration` descending; anything else is newest first. */
export function parseRunSort(value: string | null): RunSort {
  const desc = value?.startsWith('-') ?? false;
  const key = (desc ? value?.slice(1) : value) as RunSortKey;
  if (!RUN_SORT_KEYS.includes(key) || key === 'newest') return { key: 'newest', dir: 'desc' };
  return { key, dir: desc ? 'desc' : 'asc' };
}

export function formatRunSort(sort: RunSort): string {
  if (sort.key === 'newest') return '';
  return sort.dir === 'desc' ? `-${sort.key}` : sort.key;
}

export function toggleRunSort(current: RunSort, key: RunSortKey): RunSort {
  if (current.key !== key) return { key, dir: FIRST_DIR[key] };
  return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
}

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
