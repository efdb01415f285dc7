export type SortDir = 'asc' | 'desc';

export interface SortState<K extends string> {
  key: K;
  dir: SortDir;
}

/**
 * A table's sort as it lives in the URL: `?sort=name` ascending, `?sort=-name` descending, nothing
 * (or anything unknown) for the table's default order. `firstDir` is the direction a first click on
 * a column sorts in; a second click turns it.
 */
export function urlSort<K extends string>(
  keys: readonly K[],
  fallback: SortState<K>,
  firstDir: Record<K, SortDir>,
) {
  return {
    parse(value: string | null): SortState<K> {
      const desc = value?.startsWith('-') ?? false;
      const key = (desc ? value?.slice(1) : value) as K;
      if (!keys.includes(key) || key === fallback.key) return fallback;
      return { key, dir: desc ? 'desc' : 'asc' };
    },
    format(sort: SortState<K>): string {
      if (sort.key === fallback.key) return '';
      return sort.dir === 'desc' ? `-${sort.key}` : sort.key;
    },
    toggle(current: SortState<K>, key: K): SortState<K> {
      if (current.key !== key) return { key, dir: firstDir[key] };
      return { key, dir: current.dir === 'asc' ? 'desc' : 'asc' };
    },
  };
}
