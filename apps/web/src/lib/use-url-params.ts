import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/** Keys to set; an empty value removes the key (a default is left out of the URL). */
export type ParamChange = Partial<Record<string, string>>;

/**
 * The page's query parameters, and an update that changes some keys and keeps the others. It builds
 * on the URL as last written (`window.location`), not on the params of the last render that
 * react-router hands a functional update: a navigation renders in a transition, so two quick changes
 * (clear the search, then pick a status) would otherwise lose the first.
 */
export function useUrlParams(): [URLSearchParams, (change: ParamChange) => void] {
  const [params, setParams] = useSearchParams();
  const update = useCallback(
    (change: ParamChange) => {
      const next = new URLSearchParams(window.location.search);
      for (const [key, value] of Object.entries(change)) {
        if (value) next.set(key, value);
        else next.delete(key);
      }
      setParams(next, { replace: true });
    },
    [setParams],
  );
  return [params, update];
}
