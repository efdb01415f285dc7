import { Download } from 'lucide-react';
import { useMemo } from 'react';
import { Breadcrumbs } from '../../components/breadcrumbs';
import { Empty, ErrorState, Loading } from '../../components/states';
import { ApiError } from '../../lib/api-client';
import { usePageTitle } from '../../lib/use-page-title';
import { useUrlParams } from '../../lib/use-url-params';
import { type AuditFilters, auditExportUrl, useAudit } from './api/get-audit';
import { AuditFiltersBar } from './components/audit-filters';
import { AuditTable } from './components/audit-table';
import './audit.css';

const KEYS = ['actor', 'action', 'pipeline', 'since', 'until'] as const;

/** Filters kept in the URL (`?actor=alice&pipeline=daily`), so a filtered view is a link. */
function useAuditFilters() {
  const [params, updateParams] = useUrlParams();
  const filters = useMemo(
    () => Object.fromEntries(KEYS.map((k) => [k, params.get(k) ?? ''])) as unknown as AuditFilters,
    [params],
  );
  const update: (change: Partial<AuditFilters>) => void = updateParams;
  return { filters, update };
}

// Asking again cannot turn a refusal into an answer: no "Try again" for it.
const refused = (error: Error) => error instanceof ApiError && (error.status === 401 || error.status === 403);

/** Admins see every change made through the UI or its API: who, from where, what, and how it ended. */
export function AuditPage() {
  usePageTitle('Audit log');
  const { filters, update } = useAuditFilters();
  const audit = useAudit(filters);
  const entries = useMemo(() => audit.data?.pages.flatMap((p) => p.items) ?? [], [audit.data]);
  const actions = useMemo(() => [...new Set(entries.map((e) => e.action))].sort(), [entries]);
  const filtered = KEYS.some((k) => filters[k] !== '');
  return (
    <>
      <Breadcrumbs items={[{ label: 'Audit log' }]} />
      <div className="page-head">
        <h2>Audit log</h2>
        <span className="muted">Every change made through the UI or its API, newest first</span>
        <a className="button audit-export" href={auditExportUrl(filters)} download>
          <Download size={16} aria-hidden="true" /> Export JSON lines
        </a>
      </div>
      <AuditFiltersBar filters={filters} update={update} actions={actions} />
      {audit.isPending ? (
        <Loading what="the audit log" />
      ) : audit.isError ? (
        <ErrorState
          what="the audit log"
          error={audit.error}
          {...(refused(audit.error) ? {} : { retry: () => void audit.refetch() })}
        />
      ) : entries.length === 0 ? (
        <Empty>{filtered ? 'No entry matches these filters.' : 'No change has been made yet.'}</Empty>
      ) : (
        <section aria-label="Audit entries" className="audit-page">
          <AuditTable entries={entries} />
          {audit.hasNextPage ? (
            <button
              type="button"
              onClick={() => void audit.fetchNextPage()}
              disabled={audit.isFetchingNextPage}
            >
              {audit.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
            </button>
          ) : null}
        </section>
      )}
    </>
  );
}
