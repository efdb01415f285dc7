import { useMemo } from 'react';
import type { RunStatus } from '../../lib/api-types';
import { useUrlParams } from '../../lib/use-url-params';
import type { RunFilters } from './get-runs';

const STATUSES: RunStatus[] = ['running', 'success', 'failed', 'stale'];

/** Run filters kept in the URL (`?status=failed&trigger=cli`), so a filtered view is a link. */
export function useRunFilters(fixedStateIds: string[] = []) {
  const [params, update] = useUrlParams();
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
  return { filters, update };
}
