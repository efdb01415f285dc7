import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { answer, api, apiUrl } from '../../../lib/api-client';

// A type, not an interface, so it fits the URL params' record of strings.
export type AuditFilters = {
  actor: string;
  action: string;
  pipeline: string;
  since: string;
  until: string;
};

export const AUDIT_PAGE_SIZE = 50;

/** A blank filter means "any": it is left out of the query. */
const query = (filters: AuditFilters) =>
  Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== '')) as Partial<AuditFilters>;

export const getAudit = (filters: AuditFilters, cursor: string | null, signal?: AbortSignal) =>
  answer(
    api.GET('/api/v1/audit', {
      params: { query: { ...query(filters), cursor: cursor ?? undefined, limit: AUDIT_PAGE_SIZE } },
      signal,
    }),
  );

// The newest page re-reads every 10 s so changes made elsewhere appear; older pages do not change.
export const auditQueryOptions = (filters: AuditFilters) =>
  infiniteQueryOptions({
    queryKey: ['audit', filters],
    queryFn: ({ pageParam, signal }) => getAudit(filters, pageParam, signal),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor,
    refetchInterval: 10_000,
  });

export const useAudit = (filters: AuditFilters) => useInfiniteQuery(auditQueryOptions(filters));

/** The JSON lines export of the same filters (a download link, not JSON). */
export const auditExportUrl = (filters: AuditFilters) => apiUrl('/api/v1/audit/export', {}, query(filters));
