import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { RunStatus } from '../../lib/api-types';
import type { RunFilters } from './get-runs';

const STATUSES: RunStatus[] = ['running', 'success', 'failed', 'stale'];

/** Run filters kept in the URL (`?status=failed&trigger=cli`), so a filtered view is a link. */
export function useRunFilters(fixedStateIds: string[] = []) {
  const [params, setParams] = useSearchParams();
  const filters: RunFilters = useMemo(
    () => ({
      state_id: fixedStateIds.length > 0 ? fixedStateIds : params.getAll('state_id'),
      status: params.getAll('status').filter((s): s is RunStatus => STATUSES.includes(s as RunStatus)),
      trigger: params.get('trigger') ?? '',
      since: params.get('since') ?? '',
      until: params.get('until') ?? '',
    }),
    [params, fixedStateIds],
  );
  const update = useCallback(
    (change: Partial<Record<'status' | 'trigger' | 'since' | 'until' | 'state_id', string>>) => {
      setParams(
        (prev) => {
          const next = new URLSearchParams(prev);
          for (const [key, value] of Object.entries(change)) {
            next.delete(key);
            if (value) next.set(key, value);
          }
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  return { filters, update };
}
