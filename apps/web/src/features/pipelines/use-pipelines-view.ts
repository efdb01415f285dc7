import { useCallback } from 'react';
import { useUrlParams } from '../../lib/use-url-params';
import { formatSort, type GroupBy, parseGroup, parseSort, type Sort } from './pipeline-order';
import type { StatusFilter } from './pipeline-summary';

const STATUS_FILTERS: StatusFilter[] = ['all', 'running', 'failed', 'success', 'stale', 'never', 'late'];

/**
 * The pipelines list's view, all in the URL (`?q=&status=&sort=-duration&group=job&page=2`) so a view
 * is a link and survives a reload; defaults are left out. Changing what is shown goes back to page 1.
 */
export function usePipelinesView() {
  const [params, updateParams] = useUrlParams();
  const status = params.get('status') as StatusFilter | null;
  const view = {
    search: params.get('q') ?? '',
    status: status && STATUS_FILTERS.includes(status) ? status : 'all',
    sort: parseSort(params.get('sort')),
    group: parseGroup(params.get('group')),
    page: Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1),
  };
  const set = useCallback(
    (change: Partial<Record<'q' | 'status' | 'sort' | 'group' | 'page', string>>) => {
      const next: Record<string, string> = 'page' in change ? {} : { page: '' };
      for (const [key, value = ''] of Object.entries(change)) {
        const isDefault =
          (key === 'status' && value === 'all') ||
          (key === 'group' && value === 'none') ||
          (key === 'page' && value === '1');
        next[key] = isDefault ? '' : value;
      }
      updateParams(next);
    },
    [updateParams],
  );
  return {
    ...view,
    setSearch: (q: string) => set({ q }),
    setStatus: (s: StatusFilter) => set({ status: s }),
    setSort: (sort: Sort) => set({ sort: formatSort(sort) }),
    setGroup: (g: GroupBy) => set({ group: g }),
    setPage: (page: number) => set({ page: String(page) }),
  };
}
